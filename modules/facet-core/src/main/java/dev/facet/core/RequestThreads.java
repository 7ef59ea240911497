package dev.facet.core;

import java.nio.ByteBuffer;

/**
 * Threads that answer requests: marked once per thread ({@link #markCurrent}), and raised to Linux's
 * real-time round-robin class ({@link #raiseCurrent}) while background work shares the cores (when,
 * and until when, is the engine's {@code RequestPriority}).
 *
 * <p>Why real-time: under a catalog update, about 1% of recommendations waited one scheduler tick
 * (4 ms at {@code HZ=250}) for their core, whatever the update's nice value, policy ({@code
 * SCHED_BATCH}, {@code SCHED_IDLE}), slice or cores ({@code facet bench live}, README). Any wake-up
 * on the core (a kernel thread, another process, the JIT) cuts a running call, and the fair
 * scheduler then counts the call's thread as having had its share and hands the core to the
 * update until the next tick. A real-time thread is not counted that way: it runs until it blocks,
 * and only real-time threads of a higher priority take its core.
 *
 * <p>Safeguards: priority 1, the lowest real-time priority (kernel threads that need the core keep
 * theirs); {@code SCHED_RESET_ON_FORK}, so threads a raised call starts (a native library's worker
 * pool made on first use) start as ordinary threads; and {@link #restoreCurrent} gives the thread
 * its former policy, nice value and slice back once the background work is over. The kernel still
 * keeps a share of every second for ordinary threads ({@code sched_rt_runtime_us}).
 *
 * <p>Raising needs {@code CAP_SYS_NICE} or a real-time priority limit of at least 1 ({@code ulimit
 * -r 1}, systemd {@code LimitRTPRIO=1}); without it the kernel refuses and the thread stays as it
 * was. Elsewhere than Linux nothing happens.
 */
public final class RequestThreads {
  /** Linux {@code SCHED_RR}. */
  static final int SCHED_RR = 2;
  /** The real-time priority a raised call runs at: the lowest. */
  public static final int PRIORITY = 1;
  /** {@code SCHED_FLAG_RESET_ON_FORK}. */
  private static final long RESET_ON_FORK = 0x01;
  private static final int FLAGS_OFFSET = 8;
  private static final int PRIORITY_OFFSET = 20;
  private static final ThreadLocal<Boolean> MARKED = ThreadLocal.withInitial(() -> Boolean.FALSE);

  private RequestThreads() {}

  /**
   * Marks the calling thread as one that answers requests and gives it the request time slice
   * ({@link TimeSlice#forRequestThread}); call it once, when the thread starts (Facet's HTTP threads
   * do).
   *
   * @return whether the thread got the request slice
   */
  public static boolean markCurrent() {
    MARKED.set(Boolean.TRUE);
    return TimeSlice.forRequestThread();
  }

  /** Whether the calling thread was marked by {@link #markCurrent}. */
  public static boolean currentIsMarked() {
    return MARKED.get();
  }

  /**
   * Moves the calling thread to {@code SCHED_RR} at priority {@value #PRIORITY}, reset on fork.
   *
   * @return the thread's former scheduling, to hand to {@link #restoreCurrent}; null when the thread
   *     is not an ordinary one (already real-time, or deadline), the kernel refused (no privilege) or
   *     the platform has no such call
   */
  public static byte[] raiseCurrent() {
    byte[] before = TimeSlice.currentAttr();
    if (before == null || !TimeSlice.sliceable(TimeSlice.policy(before))) {
      return null;
    }
    byte[] raised = TimeSlice.emptyAttr();
    ByteBuffer b = TimeSlice.fields(raised);
    b.putInt(TimeSlice.POLICY_OFFSET, SCHED_RR);
    b.putLong(FLAGS_OFFSET, RESET_ON_FORK);
    b.putInt(PRIORITY_OFFSET, PRIORITY);
    return TimeSlice.setCurrentAttr(raised) ? before : null;
  }

  /**
   * Gives the calling thread back the scheduling {@link #raiseCurrent} returned (policy, nice value,
   * slice). Lowering needs no privilege.
   *
   * @return whether the kernel took it
   */
  public static boolean restoreCurrent(byte[] before) {
    if (before == null) {
      throw new IllegalArgumentException("nothing to restore: the thread was not raised");
    }
    return TimeSlice.setCurrentAttr(before.clone());
  }

  /** Whether the calling thread runs under {@code SCHED_RR}; empty where it cannot be read. */
  public static java.util.Optional<Boolean> currentRealtime() {
    byte[] attr = TimeSlice.currentAttr();
    return attr == null ? java.util.Optional.empty()
        : java.util.Optional.of(TimeSlice.policy(attr) == SCHED_RR);
  }
}
