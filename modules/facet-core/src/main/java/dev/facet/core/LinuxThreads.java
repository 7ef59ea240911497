package dev.facet.core;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * The C library calls that set a single thread's scheduling on Linux, loaded on first use; null
 * where libc or the functions are not available (other systems, a libc without {@code gettid}).
 */
final class LinuxThreads {
  private LinuxThreads() {}

  interface LibC extends Library {
    int gettid();

    int setpriority(int which, int who, int prio);

    int getpriority(int which, int who);

    /** {@code param} points to a {@code struct sched_param}: one int, the static priority (0 for SCHED_IDLE). */
    int sched_setscheduler(int pid, int policy, int[] param);

    int sched_getscheduler(int pid);

    /** {@code sched_setattr(pid, attr, flags)}, which glibc has no wrapper for. */
    long syscall(long number, int pid, byte[] attr, int flags);

    /** {@code sched_getattr(pid, attr, size, flags)}. */
    long syscall(long number, int pid, byte[] attr, int size, int flags);
  }

  static final LibC LIBC = load();

  private static LibC load() {
    if (!Platform.isLinux()) {
      return null;
    }
    try {
      LibC libc = Native.load("c", LibC.class);
      libc.gettid(); // glibc >= 2.30; fail here rather than in a worker
      return libc;
    } catch (LinkageError | RuntimeException e) {
      return null;
    }
  }
}
