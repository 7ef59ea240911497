package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RecommendCallProfileTest {
  @Test
  void waitMeansSeparateTheSlowestCallsFromAll() {
    int n = 400;
    LiveTraffic.Calls calls = LiveTraffic.Calls.ofCapacity(n);
    Random random = new Random(31);
    for (int i = 0; i < n; i++) {
      calls.runQueueNanos()[i] = random.nextInt(100_000);
      calls.parkedNanos()[i] = 0;
    }
    // The four slowest calls (first in order) each waited 4 ms for a core and were parked 1 ms.
    int[] order = IntStream.range(0, n).toArray();
    long sum = 0;
    for (int i = 0; i < 4; i++) {
      calls.runQueueNanos()[i] = 4_000_000;
      calls.parkedNanos()[i] = 1_000_000;
    }
    for (long v : calls.runQueueNanos()) {
      sum += v;
    }
    Map<String, Object> m = RecommendCallProfile.waitMeans(calls, order, 4);
    assertThat(m.get("slowest_1pct_mean_runqueue_ms")).isEqualTo(4.0);
    assertThat(m.get("slowest_1pct_mean_parked_ms")).isEqualTo(1.0);
    assertThat((double) m.get("all_mean_runqueue_ms")).isCloseTo(sum / (double) n / 1e6, offset(1e-3));
    assertThat(m.get("all_mean_parked_ms")).isEqualTo(0.01);
  }

  @Test
  void aWaitThePlatformDidNotReportIsLeftOut() {
    LiveTraffic.Calls calls = LiveTraffic.Calls.ofCapacity(3);
    Arrays.fill(calls.runQueueNanos(), -1);
    Arrays.fill(calls.parkedNanos(), 2_000_000);
    Map<String, Object> m = RecommendCallProfile.waitMeans(calls, new int[] {0, 1, 2}, 1);
    assertThat(m).doesNotContainKeys("slowest_1pct_mean_runqueue_ms", "all_mean_runqueue_ms");
    assertThat(m).containsEntry("slowest_1pct_mean_parked_ms", 2.0);
  }
}
