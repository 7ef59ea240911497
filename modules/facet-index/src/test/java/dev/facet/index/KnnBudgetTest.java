package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnnBudgetTest {
  @Test
  void overFetchIsUsedAsIsUpToTheReferenceSizeAndGrowsWithTheLogOfTheSizeBeyond() {
    assertThat(KnnBudget.candidates(10, 5, 1_000)).isEqualTo(50);
    assertThat(KnnBudget.candidates(10, 5, KnnBudget.REFERENCE_DOCS)).isEqualTo(50);
    int at200k = KnnBudget.candidates(10, 5, 2 * KnnBudget.REFERENCE_DOCS);
    int at1m = KnnBudget.candidates(10, 5, 10 * KnnBudget.REFERENCE_DOCS);
    assertThat(at200k).isEqualTo((int) Math.ceil(50 * (1 + KnnBudget.GROWTH)));
    assertThat(at1m).isGreaterThan(at200k).isLessThan(50 * 10);
    assertThat(KnnBudget.candidates(1, 1, 1_000)).isEqualTo(1);
    // a long list (recommendation candidates) is not scaled further once it exceeds the scaled 10-NN list
    assertThat(KnnBudget.candidates(40, 5, 10 * KnnBudget.REFERENCE_DOCS)).isEqualTo(200);
    assertThat(KnnBudget.candidates(40, 5, 10 * KnnBudget.REFERENCE_DOCS)).isGreaterThan(at1m);
    assertThat(KnnBudget.candidates(20, 5, 10 * KnnBudget.REFERENCE_DOCS)).isEqualTo(at1m);
    assertThat(KnnBudget.candidates(1000, 100, 10_000_000)).isEqualTo(KnnBudget.MAX_CANDIDATES);
  }

  @Test
  void quantizedGraphsCollectMoreCandidatesForReScoring() {
    assertThat(KnnBudget.graphCandidates(100, VectorFormat.FLOAT)).isEqualTo(100);
    assertThat(KnnBudget.graphCandidates(100, VectorFormat.INT8)).isEqualTo(100 * KnnBudget.QUANTIZED_OVERSAMPLE);
    assertThat(KnnBudget.graphCandidates(KnnBudget.MAX_CANDIDATES, VectorFormat.INT4)).isEqualTo(KnnBudget.MAX_CANDIDATES);
  }
}
