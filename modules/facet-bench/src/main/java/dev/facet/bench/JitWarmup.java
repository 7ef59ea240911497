package dev.facet.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Warm-up that lasts until the JIT compiler goes quiet, as JMH's warm-up iterations but with the
 * count chosen by the compiler's own activity. On 2 cores a fixed warm-up ended while the compiler
 * still worked seconds per round on the cores the timed calls needed (bench recommend at 1M), so the
 * timed calls measured the compiler rather than the steady state a served engine runs in.
 */
final class JitWarmup {
  /** A round during which the JIT compiled for less than this many milliseconds ends the warm-up. */
  static final long QUIET_MILLIS = 100;

  private JitWarmup() {}

  /**
   * Runs {@code round} at least {@code minRounds} and at most {@code maxRounds} times, until one
   * compiles for less than {@value #QUIET_MILLIS} ms (only the minimum where the JVM does not report
   * compilation time).
   *
   * @return the rounds run
   */
  static int untilQuiet(Runnable round, int minRounds, int maxRounds) {
    if (minRounds < 1 || maxRounds < minRounds) {
      throw new IllegalArgumentException("need 1 <= minRounds <= maxRounds, got " + minRounds + ", " + maxRounds);
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean observable = jit != null && jit.isCompilationTimeMonitoringSupported();
    int rounds = 0;
    long compiledMillis;
    do {
      long before = observable ? jit.getTotalCompilationTime() : 0;
      round.run();
      compiledMillis = observable ? jit.getTotalCompilationTime() - before : 0;
      rounds++;
    } while (keepWarming(rounds, compiledMillis, minRounds, maxRounds));
    return rounds;
  }

  /** Whether another round follows {@code rounds} rounds, the last of which compiled for {@code compiledMillis}. */
  static boolean keepWarming(int rounds, long compiledMillis, int minRounds, int maxRounds) {
    return rounds < maxRounds && (rounds < minRounds || compiledMillis >= QUIET_MILLIS);
  }
}
