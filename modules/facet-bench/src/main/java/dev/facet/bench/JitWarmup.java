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
  /** A round during which the JIT compiled for less than this many milliseconds may end the warm-up. */
  static final long QUIET_MILLIS = 100;
  /**
   * ... and for less than this share of the round's wall time. A 0.2 s round of 1%-filtered queries
   * at 1M that let the compiler work 99 ms ended the warm-up, and the compiler then worked 142 ms
   * during the 0.6 s of timed queries that followed, as the 1% row's p99 went from 0.9 to 2.2 ms.
   */
  static final double QUIET_SHARE = 0.02;

  private JitWarmup() {}

  /** One warm-up round; may throw what the measured calls throw (an interrupted wait for callers). */
  @FunctionalInterface
  interface Round<E extends Exception> {
    void run() throws E;
  }

  /**
   * Runs {@code round} at least {@code minRounds} and at most {@code maxRounds} times, until one
   * compiles for less than {@value #QUIET_MILLIS} ms and {@value #QUIET_SHARE} of its wall time (only
   * the minimum where the JVM does not report compilation time).
   *
   * @return the rounds run
   * @throws E what a round threw; no further round runs
   */
  static <E extends Exception> int untilQuiet(Round<E> round, int minRounds, int maxRounds) throws E {
    if (minRounds < 1 || maxRounds < minRounds) {
      throw new IllegalArgumentException("need 1 <= minRounds <= maxRounds, got " + minRounds + ", " + maxRounds);
    }
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    boolean observable = jit != null && jit.isCompilationTimeMonitoringSupported();
    int rounds = 0;
    long compiledMillis;
    long wallMillis;
    do {
      long before = observable ? jit.getTotalCompilationTime() : 0;
      long start = System.nanoTime();
      round.run();
      wallMillis = (System.nanoTime() - start) / 1_000_000;
      compiledMillis = observable ? jit.getTotalCompilationTime() - before : 0;
      rounds++;
    } while (keepWarming(rounds, compiledMillis, wallMillis, minRounds, maxRounds));
    return rounds;
  }

  /**
   * Whether another round follows {@code rounds} rounds, the last of which compiled for
   * {@code compiledMillis} in {@code wallMillis}.
   */
  static boolean keepWarming(int rounds, long compiledMillis, long wallMillis, int minRounds, int maxRounds) {
    boolean quiet = compiledMillis < QUIET_MILLIS && compiledMillis <= QUIET_SHARE * wallMillis;
    return rounds < maxRounds && (rounds < minRounds || !quiet);
  }
}
