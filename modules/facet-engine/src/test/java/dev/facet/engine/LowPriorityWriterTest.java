package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Catalog writes run below the caller's priority and hand back their result or failure. */
class LowPriorityWriterTest {
  @Test
  void aWriteRunsTenNiceValuesBelowItsCallerAndReturnsWhatItReturned() throws IOException {
    Path self = Path.of("/proc/thread-self/stat");
    Assumptions.assumeTrue(Files.isReadable(self), "Linux only");
    int caller = nice();
    LowPriorityWriter writer = new LowPriorityWriter();
    int[] inside = new int[1];
    String result = writer.run(() -> {
      inside[0] = nice();
      return "written";
    });
    assertThat(result).isEqualTo("written");
    assertThat(inside[0]).isEqualTo(Math.min(19, caller + LowPriorityWriter.STEPS));
    assertThat(nice()).as("the caller keeps its priority").isEqualTo(caller);
    assertThatThrownBy(() -> writer.run(() -> {
      throw new IllegalArgumentException("bad record");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad record");
  }

  /** The calling thread's nice value: field 19 of its stat line (after the parenthesised name). */
  private static int nice() {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[16]);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
