package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {
  /** The synthetic shoppers act once an hour: a 90-minute gap makes one long session, 30 minutes none. */
  @Test
  void eachExampleSeesTheSessionStillGoingAtItsTargetsTime() {
    RecDataset ds = Synthetic.dataset(3, 8, 40, 8, false, false);
    Schema schema = Schema.of(ds);
    TrainingData data = new TrainingData(schema, ds, DataSplit.temporalLeaveLastOut(ds.interactions()).train());
    List<long[]> chunk = List.of(new long[] {0, 3}, new long[] {1, 1}, new long[] {2, 0});
    Batch hourly = batch(data, Synthetic.tinyConfig().sessionGapSeconds(90 * 60).build(), chunk);
    // every real history position is in the session, padding is not
    assertThat(hourly.histSession).containsExactly(hourly.histMask);
    assertThat(sum(hourly.histSession)).isEqualTo(3 + 1 + 0);
    // the last item came an hour before each target: no session is going at the target's time
    Batch halfHour = batch(data, Synthetic.tinyConfig().sessionGapSeconds(30 * 60).build(), chunk);
    assertThat(sum(halfHour.histSession)).isZero();
    Batch off = batch(data, Synthetic.tinyConfig().sessionGapSeconds(0).build(), chunk);
    assertThat(sum(off.histSession)).isZero();
  }

  private static Batch batch(TrainingData data, JointModelConfig cfg, List<long[]> chunk) {
    try (BatchLoader loader = new BatchLoader(data, cfg, 1, null)) {
      int[] localOf = new int[data.schema.numItems()];
      Arrays.fill(localOf, -1);
      return loader.build(chunk, new Random(1), localOf);
    }
  }

  private static float sum(float[] values) {
    float s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }
}
