package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NegativeSamplerTest {
  private static final int DRAWS = 200_000;

  @Test
  void uniformIsFlat() {
    NegativeSampler s = NegativeSampler.uniform(10);
    int[] h = histogram(s, 10, new Random(1));
    for (int c : h) {
      assertThat(c / (double) DRAWS).isCloseTo(0.1, within(0.005));
    }
  }

  @Test
  void popularityFollowsCountsToThePower() {
    long[] counts = {0, 1, 3, 7, 15};
    NegativeSampler s = NegativeSampler.popularity(counts, 1.0); // (c+1): 1,2,4,8,16 of 31
    int[] h = histogram(s, counts.length, new Random(2));
    for (int i = 0; i < counts.length; i++) {
      double expected = (counts[i] + 1) / 31.0;
      assertThat(s.probability(i)).isCloseTo(expected, within(1e-12));
      assertThat(h[i] / (double) DRAWS).isCloseTo(expected, within(0.006));
    }
    NegativeSampler flat = NegativeSampler.popularity(counts, 0.0);
    assertThat(flat.probability(4)).isCloseTo(0.2, within(1e-12));
  }

  @Test
  void sameSeedSameDraws() {
    NegativeSampler s = NegativeSampler.popularity(new long[] {5, 1, 9}, 0.75);
    assertThat(histogram(s, 3, new Random(9))).containsExactly(histogram(s, 3, new Random(9)));
  }

  @Test
  void batchNegativesIncludeInBatchPositivesAndHardNegativesAvoidThePositive() {
    RecDataset ds = Synthetic.dataset(3, 20, 40, 10, false, false);
    Schema schema = Schema.of(ds);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    TrainingData data = new TrainingData(schema, ds, split.train());
    JointModelConfig cfg = Synthetic.tinyConfig().hardNegatives(3).negatives(5).exactSoftmaxItems(0).build();
    int[][] hard = new int[schema.numItems()][];
    for (int i = 0; i < hard.length; i++) {
      hard[i] = new int[] {i, (i + 1) % hard.length}; // includes the item itself: must be skipped
    }
    try (BatchLoader loader = new BatchLoader(data, cfg, 5, hard)) {
      int[] localOf = new int[schema.numItems()];
      java.util.Arrays.fill(localOf, -1);
      Batch b = loader.build(List.of(new long[] {0, 3}, new long[] {1, 4}, new long[] {2, 2}), new Random(4), localOf);
      int c = b.candLocal.length;
      for (int r = 0; r < b.size; r++) {
        float rowSum = 0;
        for (int j = 0; j < c; j++) {
          rowSum += b.positives[r * c + j];
        }
        assertThat(rowSum).isEqualTo(1f);
        int target = b.items[b.targetLocal[r]];
        for (int h = 0; h < b.hard; h++) {
          int neg = b.items[b.hardLocal[r * b.hard + h]];
          assertThat(neg).isNotEqualTo(target).isEqualTo((target + 1) % schema.numItems());
        }
        // history: most recent first, then padding
        List<Step> seq = data.sequences.get(r);
        int t = new int[] {3, 4, 2}[r];
        assertThat(b.items[b.histLocal[r * b.historyLength]]).isEqualTo(seq.get(t - 1).item());
        assertThat(b.histMask[r * b.historyLength + t]).isZero();
      }
      while (loader.hasNext()) {
        loader.next();
      }
    }
  }

  @Test
  void exactSoftmaxHasEveryTrainedItemAsAColumnAndMasksTheHistory() {
    RecDataset ds = Synthetic.dataset(3, 20, 40, 10, false, false);
    Schema schema = Schema.of(ds);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    TrainingData data = new TrainingData(schema, ds, split.train());
    JointModelConfig cfg = Synthetic.tinyConfig().build();
    int[] exact = BatchLoader.exactCandidates(data, cfg);
    assertThat(exact).isNotNull();
    assertThat(exact.length).isEqualTo((int) java.util.stream.IntStream.range(0, schema.numItems())
        .filter(i -> data.trained[i]).count());
    assertThat(BatchLoader.exactCandidates(data, cfg.toBuilder().exactSoftmaxItems(exact.length - 1).build())).isNull();
    assertThat(BatchLoader.exactCandidates(data, cfg.toBuilder().loss(LossType.BPR).build())).isNull();
    try (BatchLoader loader = new BatchLoader(data, cfg, 5, null)) {
      int[] localOf = new int[schema.numItems()];
      java.util.Arrays.fill(localOf, -1);
      Batch b = loader.build(List.of(new long[] {0, 3}, new long[] {1, 4}, new long[] {2, 0}), new Random(4), localOf);
      int c = b.candLocal.length;
      assertThat(c).isEqualTo(exact.length);
      assertThat(b.logQ).isNull();
      assertThat(b.hard).isZero();
      assertThat(b.itemAttr).isNull(); // features come from the trainer's shared table
      for (int j = 0; j < c; j++) {
        assertThat(b.items[b.candLocal[j]]).isEqualTo(exact[j]);
      }
      for (int r = 0; r < b.size; r++) {
        int t = new int[] {3, 4, 0}[r];
        List<Step> seq = data.sequences.get(r);
        java.util.Set<Integer> history = new java.util.HashSet<>();
        for (int k = 0; k < t; k++) {
          history.add(seq.get(k).item());
        }
        for (int j = 0; j < c; j++) {
          int item = b.items[b.candLocal[j]];
          assertThat(b.positives[r * c + j]).isEqualTo(item == seq.get(t).item() ? 1f : 0f);
          assertThat(b.candMask[r * c + j]).isEqualTo(history.contains(item) ? BatchLoader.MASKED : 0f);
        }
      }
      while (loader.hasNext()) {
        loader.next();
      }
    }
  }

  private static int[] histogram(NegativeSampler s, int n, Random rnd) {
    int[] h = new int[n];
    for (int k = 0; k < DRAWS; k++) {
      h[s.next(rnd)]++;
    }
    return h;
  }
}
