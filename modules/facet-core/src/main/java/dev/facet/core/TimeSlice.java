package dev.facet.core;

import com.sun.jna.Platform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.OptionalLong;

/**
 * Time slices under Linux's EEVDF scheduler (Linux 6.12 and later): long for background work and a
 * request's heavy steps, a few milliseconds for the threads that answer requests.
 *
 * <p>Why: a higher nice value ({@link BackgroundPriority}) shrinks a background thread's share of a
 * core, but does not decide when a request runs. The kernel lets the thread on a core keep it for
 * the rest of its slice unless a thread that wakes has a shorter one ({@code PREEMPT_SHORT}), and it
 * only looks again at its next tick (4 ms at {@code HZ=250}). And a request thread that has run
 * since it woke has, by EEVDF's count, already had its share next to the background threads it
 * preempted: once its slice is used up (the default is about 0.7 ms times a factor that grows with
 * the core count), the next tick hands the core back to them until the tick after. {@code facet
 * bench live} found about 1% of recommendations under a catalog update each waiting that one tick.
 * So long-running work asks for {@value #DEFAULT_LONG_NANOS} ns ({@link #lengthenCurrentThread}) and
 * request threads for {@value #REQUEST_NANOS} ns ({@link #forRequestThread}): a request that wakes
 * takes the core at once, and a call is rarely cut. A slice does not change a thread's share of
 * the CPU, only how finely it is cut.
 *
 * <p>The slice is {@code sched_attr.sched_runtime} of {@code sched_setattr}, kept per thread and
 * inherited by the threads it starts (an inference engine's intra-op workers); the policy and nice
 * value stay as they are. No privilege is needed. Older kernels accept the call and ignore the
 * value; {@link #setCurrentThread} reads it back to say whether it took.
 */
public final class TimeSlice {
  /** The shortest slice Linux accepts. */
  public static final long MIN_NANOS = 100_000;
  /** The longest slice Linux accepts. */
  public static final long MAX_NANOS = 100_000_000;
  /** The slice long-running threads ask for unless {@value #PROPERTY} says otherwise. */
  public static final long DEFAULT_LONG_NANOS = 20_000_000;
  /**
   * The slice of a thread that answers requests ({@link #forRequestThread}): longer than nearly
   * every recommendation's CPU time, so a call is not cut at a tick, and shorter than the long
   * slice, so a request that wakes still preempts long-running work.
   */
  public static final long REQUEST_NANOS = 5_000_000;
  /**
   * System property: the slice long-running threads ask for, in nanoseconds, or {@code kernel} to
   * leave them the kernel's default.
   */
  public static final String PROPERTY = "facet.long.slice";

  /** {@code SCHED_ATTR_SIZE_VER0}: the fields up to {@code sched_period}. */
  private static final int ATTR_SIZE = 48;
  /** Where {@code sched_policy} sits in {@code struct sched_attr}. */
  static final int POLICY_OFFSET = 4;
  private static final int RUNTIME_OFFSET = 24;
  private static final long[] SYSCALLS = syscallNumbers();

  private TimeSlice() {}

  /**
   * Gives the calling thread the long slice {@value #PROPERTY} names (by default {@value
   * #DEFAULT_LONG_NANOS} ns).
   *
   * @return true when the thread now has that slice; false when the property says {@code kernel} or
   *     the kernel does not take it
   * @throws IllegalArgumentException when the property is neither {@code kernel} nor a slice Linux accepts
   */
  public static boolean lengthenCurrentThread() {
    String value = System.getProperty(PROPERTY, Long.toString(DEFAULT_LONG_NANOS)).trim();
    if (value.equals("kernel")) {
      return false;
    }
    long nanos;
    try {
      nanos = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("-D" + PROPERTY + " must be kernel or nanoseconds, got '" + value + "'");
    }
    return setCurrentThread(nanos);
  }

  /**
   * Asks for a slice of {@code nanos} for the calling thread.
   *
   * @return true when the kernel now reports that slice for the thread; false on other systems, on
   *     kernels without custom slices, for real-time threads, or when the call fails
   */
  public static boolean setCurrentThread(long nanos) {
    if (nanos < MIN_NANOS || nanos > MAX_NANOS) {
      throw new IllegalArgumentException("a slice must be in [" + MIN_NANOS + ", " + MAX_NANOS + "] ns, got " + nanos);
    }
    byte[] attr = currentAttr();
    if (attr == null) {
      return false;
    }
    if (!sliceable(policy(attr))) {
      return false;
    }
    return apply(attr, nanos) && currentThreadNanos().orElse(-1) == nanos;
  }

  /** The fair-scheduler policies; real-time and deadline threads use sched_runtime otherwise. */
  static boolean sliceable(int policy) {
    return policy == BackgroundPriority.SCHED_OTHER || policy == BackgroundPriority.SCHED_BATCH
        || policy == BackgroundPriority.SCHED_IDLE;
  }

  /** Sets the calling thread's attributes to {@code attr} with the slice {@code nanos}; whether the call succeeded. */
  private static boolean apply(byte[] attr, long nanos) {
    fields(attr).putLong(RUNTIME_OFFSET, nanos);
    return setCurrentAttr(attr);
  }

  /**
   * Gives the calling thread, one that answers requests, a slice of {@value #REQUEST_NANOS} ns unless
   * it already has one at least as long; call it once per thread, when the thread starts (Facet's
   * HTTP threads do). With the kernel's default slice, a call cut at a tick had, at that point, used
   * more than its fair share next to the background threads it preempted when it woke, and a
   * background thread then kept the core until the next tick: {@code facet bench live} found most of
   * the request tail under a catalog update to be that wait. Setting the slice around each call
   * instead was measured and is worse: re-placing a running thread made the kernel switch away from
   * it.
   *
   * @return true when the thread now has a slice of at least {@value #REQUEST_NANOS} ns
   */
  public static boolean forRequestThread() {
    OptionalLong now = currentThreadNanos();
    if (now.isEmpty() || now.getAsLong() == 0) {
      return false;
    }
    return now.getAsLong() >= REQUEST_NANOS || setCurrentThread(REQUEST_NANOS);
  }

  /**
   * The calling thread's slice in nanoseconds as the kernel reports it (the default unless the thread
   * or the one that started it asked for another; 0 on kernels without slices); empty where the
   * platform cannot say.
   */
  public static OptionalLong currentThreadNanos() {
    byte[] attr = currentAttr();
    return attr == null ? OptionalLong.empty()
        : OptionalLong.of(fields(attr).getLong(RUNTIME_OFFSET));
  }

  /** The calling thread's {@code struct sched_attr} (policy, nice value and slice), or null. */
  static byte[] currentAttr() {
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    if (libc == null || SYSCALLS == null) {
      return null;
    }
    byte[] attr = new byte[ATTR_SIZE];
    try {
      return libc.syscall(SYSCALLS[1], 0, attr, ATTR_SIZE, 0) == 0 ? attr : null;
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }

  /**
   * Sets the calling thread's whole {@code struct sched_attr} (policy, flags, nice value, priority,
   * slice) to {@code attr}; whether the kernel took it.
   */
  static boolean setCurrentAttr(byte[] attr) {
    LinuxThreads.LibC libc = LinuxThreads.LIBC;
    if (libc == null || SYSCALLS == null) {
      return false;
    }
    fields(attr).putInt(0, ATTR_SIZE);
    try {
      return libc.syscall(SYSCALLS[0], 0, attr, 0) == 0;
    } catch (LinkageError | RuntimeException e) {
      return false;
    }
  }

  /** A {@code struct sched_attr} of this kernel's version-0 size, all zero. */
  static byte[] emptyAttr() {
    return new byte[ATTR_SIZE];
  }

  /** The policy {@code attr} holds ({@code sched_getscheduler}'s value without its reset-on-fork bit). */
  static int policy(byte[] attr) {
    return fields(attr).getInt(POLICY_OFFSET);
  }

  /** {@code attr} read and written in the kernel's byte order. */
  static ByteBuffer fields(byte[] attr) {
    return ByteBuffer.wrap(attr).order(ByteOrder.nativeOrder());
  }

  /** {@code sched_setattr} and {@code sched_getattr} of this architecture, or null where unknown. */
  private static long[] syscallNumbers() {
    if (!Platform.isLinux() || !Platform.is64Bit()) {
      return null;
    }
    if (Platform.isIntel()) {
      return new long[] {314, 315};
    }
    if (Platform.isARM()) {
      return new long[] {274, 275};
    }
    return null;
  }
}
