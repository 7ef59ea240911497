package dev.facet.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the calling thread has waited for so far, split the two ways a call can wait without
 * working: ready to run but without a core (the kernel's run-queue delay, from Linux's
 * {@code /proc/thread-self/schedstat}), and parked or blocked in the JVM (locks, monitors, sleeps;
 * the JVM's contention monitoring). Differences of two readings taken around a call say where its
 * wall time went beyond its CPU time. Either figure is -1 where the platform does not give it.
 */
final class ThreadWaits {
  private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private final boolean runQueueKnown;
  private final boolean parkedKnown;

  private ThreadWaits(boolean runQueueKnown, boolean parkedKnown) {
    this.runQueueKnown = runQueueKnown;
    this.parkedKnown = parkedKnown;
  }

  /** Turns on the JVM's contention monitoring if it can be; the readings it adds cost a few microseconds. */
  static ThreadWaits start() {
    boolean parked = THREADS.isThreadContentionMonitoringSupported();
    if (parked) {
      THREADS.setThreadContentionMonitoringEnabled(true);
    }
    return new ThreadWaits(readRunQueue() >= 0, parked);
  }

  /** Nanoseconds the calling thread has waited for a core since it started, or -1. */
  long runQueueNanos() {
    return runQueueKnown ? readRunQueue() : -1;
  }

  /**
   * Nanoseconds the calling thread has been blocked on monitors or parked since monitoring began, or
   * -1; the JVM counts this time in whole milliseconds, so single calls read in steps of 1 ms.
   */
  long parkedNanos() {
    if (!parkedKnown) {
      return -1;
    }
    ThreadInfo info = THREADS.getThreadInfo(Thread.currentThread().threadId(), 0);
    if (info == null || info.getBlockedTime() < 0 || info.getWaitedTime() < 0) {
      return -1;
    }
    return (info.getBlockedTime() + info.getWaitedTime()) * 1_000_000L;
  }

  /** The second field of schedstat: time spent on a run queue, in nanoseconds; -1 if unreadable. */
  private static long readRunQueue() {
    try {
      String[] fields = Files.readString(SCHEDSTAT).trim().split(" ");
      return fields.length >= 2 ? Long.parseLong(fields[1]) : -1;
    } catch (IOException | NumberFormatException | UnsupportedOperationException e) {
      return -1;
    }
  }
}
