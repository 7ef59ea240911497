package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RankingMetricsTest {
  private static final List<String> RANKED = List.of("a", "b", "c", "d", "e");

  @Test
  void recallCountsRelevantItemsInTopK() {
    assertThat(RankingMetrics.recall(RANKED, Set.of("b", "e"), 2)).isEqualTo(0.5);
    assertThat(RankingMetrics.recall(RANKED, Set.of("b", "e"), 5)).isEqualTo(1.0);
    assertThat(RankingMetrics.recall(RANKED, Set.of("z"), 5)).isEqualTo(0.0);
  }

  @Test
  void ndcgMatchesHandComputedValue() {
    // relevant at ranks 2 and 4: DCG = 1/log2(3) + 1/log2(5); IDCG = 1 + 1/log2(3)
    double dcg = 1 / (Math.log(3) / Math.log(2)) + 1 / (Math.log(5) / Math.log(2));
    double idcg = 1 + 1 / (Math.log(3) / Math.log(2));
    assertThat(RankingMetrics.ndcg(RANKED, Set.of("b", "d"), 5)).isCloseTo(dcg / idcg, within(1e-12));
    assertThat(RankingMetrics.ndcg(RANKED, Set.of("a"), 10)).isEqualTo(1.0);
    // single relevant item at rank 3: 1/log2(4) = 0.5
    assertThat(RankingMetrics.ndcg(RANKED, Set.of("c"), 3)).isCloseTo(0.5, within(1e-12));
    assertThat(RankingMetrics.ndcg(RANKED, Set.of("c"), 2)).isEqualTo(0.0);
  }

  @Test
  void hitRateAndMrr() {
    assertThat(RankingMetrics.hitRate(RANKED, Set.of("d"), 3)).isEqualTo(0.0);
    assertThat(RankingMetrics.hitRate(RANKED, Set.of("d"), 4)).isEqualTo(1.0);
    assertThat(RankingMetrics.mrr(RANKED, Set.of("d", "e"))).isEqualTo(0.25);
    assertThat(RankingMetrics.mrr(RANKED, Set.of("z"))).isEqualTo(0.0);
  }

  @Test
  void aucIsFractionOfCorrectlyOrderedPairs() {
    // positives b (rank 2) and d (rank 4); negatives a, c, e.
    // b beats c, e (2 pairs); d beats e (1 pair) -> 3 of 6.
    assertThat(RankingMetrics.auc(RANKED, Set.of("b", "d"))).isCloseTo(0.5, within(1e-12));
    assertThat(RankingMetrics.auc(RANKED, Set.of("a"))).isEqualTo(1.0);
    assertThat(RankingMetrics.auc(RANKED, Set.of("e"))).isEqualTo(0.0);
  }

  @Test
  void rejectsUsersWithoutRelevantItemsAndBadK() {
    assertThatThrownBy(() -> RankingMetrics.recall(RANKED, Set.of(), 10)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RankingMetrics.ndcg(RANKED, Set.of("a"), 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
