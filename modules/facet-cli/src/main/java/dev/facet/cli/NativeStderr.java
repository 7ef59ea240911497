package dev.facet.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Platform;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Sends what native libraries write to the process's standard error to a log file, while Java's own
 * standard error (Facet's messages and warnings, the progress bars) stays where it was. libtorch warns
 * "Could not initialize NNPACK! Reason: Unsupported hardware" once per thread on CPUs NNPACK does not
 * support, through its own C++ logging, which no Java API or environment variable of the embedded
 * engine switches off; the warning changes nothing (ATen's kernels run instead).
 */
final class NativeStderr {
  private static final int O_WRONLY = 1;
  private static final int O_CREAT = 0100;
  private static final int O_APPEND = 02000;

  private interface LibC extends Library {
    int dup(int fd);

    int dup2(int from, int to);

    int open(String path, int flags, int mode);

    int close(int fd);
  }

  private NativeStderr() {}

  /** Redirects native writes to file descriptor 2 into {@code log} (appended); on any failure leaves both as they were. */
  static void redirectTo(Path log) {
    if (!Platform.isLinux()) {
      return;
    }
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      LibC libc = Native.load("c", LibC.class);
      PrintStream javaErr = javaErr(libc);
      if (javaErr == null) {
        return;
      }
      int fd = libc.open(log.toString(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (fd < 0) {
        return;
      }
      System.err.flush();
      System.setErr(javaErr);
      libc.dup2(fd, 2);
      libc.close(fd);
    } catch (IOException | LinkageError | RuntimeException e) {
      // keep standard error as it is: noise is better than a lost message
    }
  }

  /**
   * A stream to where standard error goes now. When it goes where standard output goes ({@code >log 2>&1}),
   * that is standard output itself, so the two stay in order in one file; otherwise a copy of the descriptor.
   */
  private static PrintStream javaErr(LibC libc) throws IOException {
    Path out = Path.of("/proc/self/fd/1");
    Path err = Path.of("/proc/self/fd/2");
    if (Files.readSymbolicLink(out).equals(Files.readSymbolicLink(err))) {
      return new PrintStream(new FileOutputStream(FileDescriptor.out), true, System.err.charset());
    }
    int saved = libc.dup(2);
    if (saved < 0) {
      return null;
    }
    return new PrintStream(new FileOutputStream("/proc/self/fd/" + saved, true), true, System.err.charset());
  }
}
