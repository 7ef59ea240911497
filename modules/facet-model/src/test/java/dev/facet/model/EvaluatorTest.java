package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.facet.core.EventType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EvaluatorTest {
  @Test
  void metricsOnAHandCase() {
    Schema schema = new Schema(List.of("a", "b", "c", "d"), List.of(), List.of(), new int[] {0}, List.of("u1", "u2"),
        List.of(), 0, 0);
    boolean[] trained = {true, true, true, false};
    Step seenA = new Step(0, EventType.VIEW, Instant.EPOCH);
    EvalUser u1 = new EvalUser("u1", 0, List.of(seenA), Set.of(2), null); // scores 9 3 5 1 -> c b d (a removed)
    EvalUser u2 = new EvalUser("u2", 1, List.of(), Set.of(3), null); // scores 4 3 2 1 -> a b c d
    Scorer scorer = users -> new float[][] {{9, 3, 5, 1}, {4, 3, 2, 1}};
    Map<String, Double> m = new Evaluator(schema, trained).evaluate(scorer, List.of(u1, u2));
    assertThat(m.get("recall@10")).isCloseTo(1.0, within(1e-12));
    assertThat(m.get("hr@10")).isCloseTo(1.0, within(1e-12));
    // u1: relevant first -> 1; u2: relevant 4th -> 1 / log2(5)
    assertThat(m.get("ndcg@10")).isCloseTo((1 + 1 / (Math.log(5) / Math.log(2))) / 2, within(1e-9));
    assertThat(m.get("mrr")).isCloseTo((1 + 0.25) / 2, within(1e-12));
    assertThat(m.get("auc")).isCloseTo(0.5, within(1e-12));
    assertThat(m.get("coverage@20")).isCloseTo(1.0, within(1e-12));
    assertThat(m.get("cold_recall@20")).isCloseTo(1.0, within(1e-12)); // only u2 has a cold item (d)
    assertThat(m.get("warm_recall@20")).isCloseTo(1.0, within(1e-12)); // only u1 has a warm item (c)
    assertThat(m.keySet()).containsExactlyElementsOf(Evaluator.METRICS);
  }

  @Test
  void warmRecallCountsOnlyTrainedHeldOutItems() {
    Schema schema = new Schema(List.of("a", "b", "c"), List.of(), List.of(), new int[] {0}, List.of("u1"),
        List.of(), 0, 0);
    boolean[] trained = {true, true, false};
    EvalUser u1 = new EvalUser("u1", 0, List.of(), Set.of(1, 2), null); // b warm, c cold
    Scorer scorer = users -> new float[][] {{3, 2, 1}};
    Map<String, Double> m = new Evaluator(schema, trained).evaluate(scorer, List.of(u1));
    assertThat(m.get("warm_recall@20")).isCloseTo(1.0, within(1e-12));
    assertThat(m.get("cold_recall@20")).isCloseTo(1.0, within(1e-12));
    Scorer none = users -> new float[][] {{3, 2, 1}};
    Map<String, Double> onlyCold = new Evaluator(schema, new boolean[] {true, false, false})
        .evaluate(none, List.of(new EvalUser("u1", 0, List.of(), Set.of(2), null)));
    assertThat(onlyCold.get("warm_recall@20")).isNaN();
  }

  @Test
  void sparseRecallAveragesTheQuarterWithTheShortestHistories() {
    Step s = new Step(0, EventType.VIEW, Instant.EPOCH);
    List<EvalUser> users = List.of(
        new EvalUser("a", 0, List.of(s), Set.of(1), null),
        new EvalUser("b", 1, List.of(s, s, s), Set.of(1), null),
        new EvalUser("c", 2, List.of(s, s), Set.of(1), null),
        new EvalUser("d", 3, List.of(s, s, s, s), Set.of(1), null),
        new EvalUser("e", 4, List.of(s), Set.of(1), null));
    // the lower quartile of sizes 1 1 2 3 4 is 1: users a and e
    assertThat(Evaluator.sparseRecall(users, new double[] {0.5, 1, 1, 1, 0.25})).isCloseTo(0.375, within(1e-12));
    assertThat(Evaluator.sparseRecall(List.of(), new double[0])).isNaN();
  }

  @Test
  void rankingExcludesHistoryAndBreaksTiesByIndex() {
    int[] order = Evaluator.rank(new float[] {1, 5, 5, -2, Float.NaN}, List.of(new Step(1, EventType.VIEW, Instant.EPOCH)));
    assertThat(order).containsExactly(2, 0, 3, 4);
  }
}
