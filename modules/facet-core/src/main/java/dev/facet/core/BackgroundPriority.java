package dev.facet.core;

import java.util.OptionalInt;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lowers the scheduling priority of the calling thread on Linux, so that background work (catalog
 * writes, index merges, embedding preparation) yields the cores to the threads answering requests.
 *
 * <p>Two strengths. A higher nice value gives a thread a smaller share of a contended core; it
 * still competes, and a request that wakes while it runs may wait for the end of its time slice.
 * {@code SCHED_IDLE} runs a thread only on CPU time no ordinary thread wants: a request thread that
 * wakes preempts it at once. Threads a lowered thread creates (an inference engine's intra-op
 * workers, started on its first forward pass) inherit its nice value and policy.
 *
 * <p>A lowered thread also runs under {@code SCHED_BATCH} and asks for a long time slice ({@link
 * TimeSlice}). With only a higher nice value, a request still waited a scheduler tick for its core
 * about once in a hundred calls under a catalog update ({@code facet bench live}): the kernel's
 * scheduler (EEVDF) lets a thread that wakes take the core from one that has run past its fair
 * share, and a request thread is past it as soon as it runs, while an inference engine's workers
 * wake thousands of times a second. A {@code SCHED_BATCH} thread's wake-ups preempt no one; its
 * share of the CPU is that of its nice value, as before.
 *
 * <p>Linux applies both per thread ({@code setpriority(PRIO_PROCESS, tid, …)},
 * {@code sched_setscheduler(tid, …)}); lowering needs no privilege. Elsewhere, or when libc cannot
 * be reached, the calls do nothing and report so.
 */
public final class BackgroundPriority {
  /** Linux {@code SCHED_OTHER}: the ordinary policy. */
  static final int SCHED_OTHER = 0;
  /** Linux {@code SCHED_BATCH}: an ordinary share, but its wake-ups never preempt a running thread. */
  static final int SCHED_BATCH = 3;
  /** Linux {@code SCHED_IDLE}: runs only when no ordinary thread wants the core. */
  static final int SCHED_IDLE = 5;

  private static final int PRIO_PROCESS = 0;

  private BackgroundPriority() {}

  /**
   * Sets the calling thread's nice value to {@code nice} if that lowers its priority, moves it from
   * {@code SCHED_OTHER} to {@code SCHED_BATCH} and gives it a long time slice ({@link
   * TimeSlice#lengthenCurrentThread}).
   *
   * @return true when the thread now runs at {@code nice} or lower priority
   */
  public static boolean lowerCurrentThread(int nice) {
    checkNice(nice, "nice");
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    if (libc == null) {
      return false;
    }
    int tid = libc.gettid();
    // getpriority may legitimately return -1; a nice already at or above the target is left alone.
    boolean lowered = libc.getpriority(PRIO_PROCESS, tid) >= nice || libc.setpriority(PRIO_PROCESS, tid, nice) == 0;
    if (libc.sched_getscheduler(tid) == SCHED_OTHER) {
      libc.sched_setscheduler(tid, SCHED_BATCH, new int[] {0}); // keeps the nice value
    }
    TimeSlice.lengthenCurrentThread();
    return lowered;
  }

  /** Whether the calling thread runs under {@code SCHED_BATCH}; empty where it cannot be read. */
  public static java.util.Optional<Boolean> currentThreadBatch() {
    return currentPolicyIs(SCHED_BATCH);
  }

  /**
   * Lowers the calling thread's priority by {@code steps} nice values below its current one (at most
   * to 19), so the thread yields to its process's other threads even when the whole process runs
   * niced.
   *
   * @return true when the thread now runs lower than before, or already at 19
   */
  public static boolean lowerCurrentThreadBy(int steps) {
    int target = niceBelowCurrent(steps);
    return target >= 0 && lowerCurrentThread(target);
  }

  /**
   * Moves the calling thread to {@code SCHED_IDLE}, keeping its nice value.
   *
   * @return true when the thread now runs under {@code SCHED_IDLE}
   */
  public static boolean idleCurrentThread() {
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    if (libc == null) {
      return false;
    }
    int tid = libc.gettid();
    return libc.sched_getscheduler(tid) == SCHED_IDLE || libc.sched_setscheduler(tid, SCHED_IDLE, new int[] {0}) == 0;
  }

  /** Whether the calling thread runs under {@code SCHED_IDLE}; empty where it cannot be read. */
  public static java.util.Optional<Boolean> currentThreadIdle() {
    return currentPolicyIs(SCHED_IDLE);
  }

  private static java.util.Optional<Boolean> currentPolicyIs(int policy) {
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    return libc == null ? java.util.Optional.empty() : java.util.Optional.of(libc.sched_getscheduler(libc.gettid()) == policy);
  }

  /** The calling thread's nice value, or empty where it cannot be read. */
  public static OptionalInt currentNice() {
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    return libc == null ? OptionalInt.empty() : OptionalInt.of(libc.getpriority(PRIO_PROCESS, libc.gettid()));
  }

  /**
   * Daemon threads named {@code prefix-1}, {@code prefix-2}, … that run {@code steps} nice values
   * below the thread that makes this factory, whichever thread starts them: a pool's threads are
   * started by whoever submits first (a merge thread, already lowered), and lowering relative to
   * that thread would compound.
   */
  public static ThreadFactory loweredDaemons(String prefix, int steps) {
    int target = niceBelowCurrent(steps);
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(() -> {
        if (target >= 0) {
          lowerCurrentThread(target);
        }
        task.run();
      }, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The nice value {@code steps} below the calling thread's (at most 19), or -1 where nice values
   * cannot be read.
   */
  public static int niceBelowCurrent(int steps) {
    if (steps < 1) {
      throw new IllegalArgumentException("steps must be at least 1, got " + steps);
    }
    OptionalInt now = currentNice();
    return now.isPresent() ? Math.min(19, Math.max(0, now.getAsInt()) + steps) : -1;
  }

  /**
   * @param source names the value in the error (an argument, a system property)
   * @return {@code nice} when it is a nice value a thread may lower itself to, 0 to 19
   */
  public static int checkNice(int nice, String source) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException(source + " must be a nice value in [0, 19], got " + nice);
    }
    return nice;
  }
}
