package dev.facet.embed;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Lowers the scheduling priority (Linux nice value) of the calling thread, so that preparation
 * work yields the cores to the engine's intra-op threads whenever those wake up.
 *
 * <p>Why: a forward pass is a chain of short parallel regions; each ends only when every intra-op
 * thread has finished its share. A decode thread holding a core when an intra-op thread wakes
 * delays the whole region, so at equal priority the pipeline lost more than the CPU time the
 * decoding itself costs (image pipeline/raw, 20 alternating rounds of 256 photos each in one JVM on
 * 2 cores: median 0.908 at nice 0, 0.932 at nice 10, 0.960 at nice 19). At a lower priority the
 * decoders still run in the gaps and whenever the model waits for a batch. On a machine busy with
 * other work they may get almost no CPU; {@link EmbeddingPipeline} then prepares the next item on
 * the model's own thread instead of waiting, so a low priority slows ingestion at worst to a
 * sequential pace.
 *
 * <p>Linux applies nice per thread ({@code setpriority(PRIO_PROCESS, tid, …)}); raising the value
 * needs no privilege. Elsewhere, or when libc cannot be reached, this does nothing and reports so.
 */
public final class BackgroundPriority {
  /** Nice value for preparation threads: the lowest, since the model thread steps in when they lag. */
  static final int PREPARATION_NICE = 19;

  private static final int PRIO_PROCESS = 0;

  private BackgroundPriority() {}

  private interface LibC extends Library {
    int gettid();

    int setpriority(int which, int who, int prio);

    int getpriority(int which, int who);
  }

  /** Loaded on first use; null where libc or the functions are not available. */
  private static final class Holder {
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

  /**
   * Sets the calling thread's nice value to {@code nice} if that lowers its priority.
   *
   * @return true when the thread now runs at {@code nice} or lower priority
   */
  public static boolean lowerCurrentThread(int nice) {
    checkNice(nice, "nice");
    LibC libc = Holder.LIBC;
    if (libc == null) {
      return false;
    }
    int tid = libc.gettid();
    // getpriority may legitimately return -1; a nice already at or above the target is left alone.
    if (libc.getpriority(PRIO_PROCESS, tid) >= nice) {
      return true;
    }
    return libc.setpriority(PRIO_PROCESS, tid, nice) == 0;
  }

  /**
   * @param source names the value in the error (an argument, a system property)
   * @return {@code nice} when it is a nice value a thread may lower itself to, 0 to 19
   */
  static int checkNice(int nice, String source) {
    if (nice < 0 || nice > 19) {
      throw new IllegalArgumentException(source + " must be a nice value in [0, 19], got " + nice);
    }
    return nice;
  }

  /**
   * Lowers the calling thread's priority by {@code steps} nice values below its current one (at most
   * to 19), so the thread yields to its process's other threads even when the whole process runs
   * niced.
   *
   * @return true when the thread now runs lower than before, or already at 19
   */
  public static boolean lowerCurrentThreadBy(int steps) {
    java.util.OptionalInt now = currentNice();
    return now.isPresent() && lowerCurrentThread(Math.min(19, Math.max(0, now.getAsInt()) + steps));
  }

  /** The calling thread's nice value, or empty where it cannot be read. Package-private for tests. */
  static java.util.OptionalInt currentNice() {
    LibC libc = Holder.LIBC;
    return libc == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(libc.getpriority(PRIO_PROCESS, libc.gettid()));
  }
}
