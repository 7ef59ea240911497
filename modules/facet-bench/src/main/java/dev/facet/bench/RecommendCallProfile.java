package dev.facet.bench;

import dev.facet.engine.Facet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * What the slowest recommendation calls of a benchmark had in common: their users' history and purchase
 * counts (purchases are excluded from the KNN search) and the CPU time the calls' threads spent in them,
 * against the same means over all calls, and the garbage-collector pauses taken while the calls ran.
 * Tells a tail caused by the calls' own work (CPU time as long as the call) from one caused by waiting
 * (for a ranking slot, a core, a page of the index) or by the JVM stopping every thread.
 */
final class RecommendCallProfile {
  /** Slowest calls listed one by one. */
  private static final int LISTED = 10;
  /** As many recent events as a recommendation reads. */
  private static final int HISTORY = 50;

  private final JvmPauses pauses;
  private final Supplier<Map<String, Long>> knnStats;
  private final Map<String, Long> knnBefore;

  private RecommendCallProfile(Supplier<Map<String, Long>> knnStats) {
    this.pauses = JvmPauses.start();
    this.knnStats = knnStats;
    this.knnBefore = knnStats.get();
  }

  /** Starts counting collector pauses and the index's KNN search paths ({@code CatalogIndex.knnStats}). */
  static RecommendCallProfile start(Supplier<Map<String, Long>> knnStats) {
    return new RecommendCallProfile(knnStats);
  }

  /**
   * The profile of calls {@code latencies[i]} made for {@code users.get(i)}, which took {@code cpuNanos[i]}
   * of their thread's CPU time.
   *
   * @param facet the engine the calls ran on, for its users' history
   */
  Map<String, Object> finish(List<String> users, long[] latencies, long[] cpuNanos, Facet facet) {
    return finish(users, latencies, cpuNanos, null, facet);
  }

  /**
   * The profile of {@code calls}, with their waits for a core and their parked time beside the CPU
   * time where {@link ThreadWaits} knew them.
   */
  Map<String, Object> finish(LiveTraffic.Calls calls, Facet facet) {
    return finish(calls.users(), calls.nanos(), calls.cpuNanos(), calls, facet);
  }

  private Map<String, Object> finish(List<String> users, long[] latencies, long[] cpuNanos, LiveTraffic.Calls waits,
      Facet facet) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gc_pauses", pauses.gcPauses());
    m.put("gc_pause_ms", pauses.gcPauseMillis());
    m.put("jit_ms", pauses.jitMillis());
    m.put("cpu_s_by_thread", pauses.cpuSecondsByThreadGroup());
    Map<String, Long> knn = new LinkedHashMap<>();
    knnStats.get().forEach((key, value) -> knn.put(key, value - knnBefore.getOrDefault(key, 0L)));
    m.put("knn_paths", knn);
    int[] order = IntStream.range(0, latencies.length).boxed()
        .sorted(Comparator.comparingLong(i -> -latencies[i])).mapToInt(Integer::intValue).toArray();
    int tail = Math.max(1, latencies.length / 100);
    m.put("slowest_1pct_mean_purchased", meanPurchased(users, order, tail, facet));
    m.put("all_mean_purchased", meanPurchased(users, order, order.length, facet));
    m.put("slowest_1pct_mean_ms", meanMillis(latencies, order, tail));
    m.put("slowest_1pct_mean_cpu_ms", meanMillis(cpuNanos, order, tail));
    m.put("all_mean_cpu_ms", meanMillis(cpuNanos, order, order.length));
    if (waits != null) {
      m.putAll(waitMeans(waits, order, tail));
    }
    List<Map<String, Object>> slowest = new ArrayList<>();
    for (int j = 0; j < Math.min(LISTED, order.length); j++) {
      String user = users.get(order[j]);
      Map<String, Object> call = new LinkedHashMap<>();
      call.put("user", user);
      call.put("ms", Math.round(latencies[order[j]] / 1e3) / 1e3);
      call.put("cpu_ms", Math.round(cpuNanos[order[j]] / 1e3) / 1e3);
      if (m.containsKey("all_mean_runqueue_ms")) {
        call.put("runqueue_ms", Math.round(waits.runQueueNanos()[order[j]] / 1e3) / 1e3);
      }
      if (m.containsKey("all_mean_parked_ms")) {
        call.put("parked_ms", Math.round(waits.parkedNanos()[order[j]] / 1e3) / 1e3);
      }
      call.put("history", facet.history(user, HISTORY).size());
      call.put("purchased", facet.purchased(user).size());
      slowest.add(call);
    }
    m.put("slowest_calls", slowest);
    return m;
  }

  /**
   * Mean wait for a core and mean parked time of the slowest {@code tail} calls (the first of
   * {@code order}) and of all, in milliseconds; a kind of wait the platform did not report (-1) is left out.
   */
  static Map<String, Object> waitMeans(LiveTraffic.Calls calls, int[] order, int tail) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (known(calls.runQueueNanos())) {
      m.put("slowest_1pct_mean_runqueue_ms", meanMillis(calls.runQueueNanos(), order, tail));
      m.put("all_mean_runqueue_ms", meanMillis(calls.runQueueNanos(), order, order.length));
    }
    if (known(calls.parkedNanos())) {
      m.put("slowest_1pct_mean_parked_ms", meanMillis(calls.parkedNanos(), order, tail));
      m.put("all_mean_parked_ms", meanMillis(calls.parkedNanos(), order, order.length));
    }
    return m;
  }

  private static boolean known(long[] nanos) {
    return nanos.length > 0 && Arrays.stream(nanos).allMatch(n -> n >= 0);
  }

  /** Mean of {@code nanos} over the first {@code n} calls of {@code order}, in milliseconds. */
  private static double meanMillis(long[] nanos, int[] order, int n) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += nanos[order[j]];
    }
    return Math.round(sum / n / 1e3) / 1e3;
  }

  private static double meanPurchased(List<String> users, int[] order, int n, Facet facet) {
    double sum = 0;
    for (int j = 0; j < n; j++) {
      sum += facet.purchased(users.get(order[j])).size();
    }
    return Math.round(sum / n * 100) / 100.0;
  }
}
