package dev.facet.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the JVM did beside the measured calls over one phase of a benchmark: collector pauses (which
 * stop every thread) and the CPU time of its threads grouped by name (a writer's merges, the JIT,
 * the request threads). Read at the start of a phase, reported at its end; the difference tells a
 * latency tail caused by the calls' own work from one caused by work they shared the cores with.
 */
final class JvmPauses {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  /** Thread groups listed in a report, largest CPU time first. */
  private static final int LISTED = 8;

  private final long gcCount;
  private final long gcMillis;
  private final long jitMillis;
  private final Map<String, Long> cpuByGroup;

  private JvmPauses() {
    this.gcCount = gcCount();
    this.gcMillis = gcMillis();
    this.jitMillis = totalJitMillis();
    this.cpuByGroup = cpuByGroup();
  }

  /** Starts a phase. */
  static JvmPauses start() {
    return new JvmPauses();
  }

  /** Collector pauses since the start. */
  long gcPauses() {
    return gcCount() - gcCount;
  }

  /** Milliseconds spent in collector pauses since the start. */
  long gcPauseMillis() {
    return gcMillis() - gcMillis;
  }

  /** Milliseconds the JIT compiler worked since the start (its threads share the cores with the calls), or 0 where not reported. */
  long jitMillis() {
    return totalJitMillis() - jitMillis;
  }

  /**
   * CPU seconds since the start of the busiest thread groups (threads of one name but for their
   * trailing number), largest first. Native threads the JVM does not know (an engine's intra-op
   * workers) are not counted, nor threads that ended before this call (a finished merge's).
   */
  Map<String, Double> cpuSecondsByThreadGroup() {
    Map<String, Long> now = cpuByGroup();
    List<Map.Entry<String, Long>> grown = now.entrySet().stream()
        .map(e -> Map.entry(e.getKey(), e.getValue() - cpuByGroup.getOrDefault(e.getKey(), 0L)))
        .filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .limit(LISTED)
        .toList();
    Map<String, Double> out = new LinkedHashMap<>();
    grown.forEach(e -> out.put(e.getKey(), Math.round(e.getValue() / 1e7) / 100.0));
    return out;
  }

  /** This phase as report entries: GC pause count and milliseconds, CPU seconds by thread group. */
  Map<String, Object> report() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("gc_pauses", gcPauses());
    m.put("gc_pause_ms", gcPauseMillis());
    m.put("jit_ms", jitMillis());
    m.put("cpu_s_by_thread", cpuSecondsByThreadGroup());
    return m;
  }

  private static Map<String, Long> cpuByGroup() {
    Map<String, Long> out = new HashMap<>();
    if (!THREADS.isThreadCpuTimeSupported()) {
      return out;
    }
    for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
      if (info == null) {
        continue; // ended meanwhile
      }
      long cpu = THREADS.getThreadCpuTime(info.getThreadId());
      if (cpu > 0) {
        out.merge(group(info.getThreadName()), cpu, Long::sum);
      }
    }
    return out;
  }

  /** A thread's name without its trailing number and separator: "facet-hnsw-merge-3" is "facet-hnsw-merge". */
  static String group(String threadName) {
    return threadName.replaceFirst("[-_ #]*\\d+$", "");
  }

  private static long totalJitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
  }

  private static long gcCount() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionCount());
    }
    return n;
  }

  private static long gcMillis() {
    long n = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      n += Math.max(0, gc.getCollectionTime());
    }
    return n;
  }
}
