package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.TimeSlice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Catalog writes run below the caller's priority and hand back their result or failure. */
class LowPriorityWriterTest {
  @Test
  void aWriteRunsTenNiceValuesBelowItsCallerUnderSchedIdleAndReturnsWhatItReturned() throws IOException {
    Path self = Path.of("/proc/thread-self/stat");
    Assumptions.assumeTrue(Files.isReadable(self), "Linux only");
    int caller = nice();
    LowPriorityWriter writer = new LowPriorityWriter(true, new RequestPriority(false));
    int[] inside = new int[2];
    String result = writer.run(() -> {
      inside[0] = nice();
      inside[1] = policy();
      return "written";
    });
    assertThat(result).isEqualTo("written");
    assertThat(inside[0]).isEqualTo(Math.min(19, caller + LowPriorityWriter.STEPS));
    assertThat(inside[1]).as("SCHED_IDLE").isEqualTo(SCHED_IDLE);
    assertThat(nice()).as("the caller keeps its priority").isEqualTo(caller);
    assertThat(policy()).as("the caller keeps its policy").isEqualTo(SCHED_OTHER);
    assertThatThrownBy(() -> writer.run(() -> {
      throw new IllegalArgumentException("bad record");
    })).isInstanceOf(IllegalArgumentException.class).hasMessage("bad record");
  }

  @Test
  void theNiceSchedulingRunsUnderSchedBatchAndOtherValuesAreRefused() {
    Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux only");
    int caller = nice();
    int[] inside = new int[2];
    new LowPriorityWriter(false, new RequestPriority(false)).run(() -> {
      inside[0] = nice();
      inside[1] = policy();
      return null;
    });
    // SCHED_BATCH: the write's wake-ups (its intra-op workers') never preempt a request thread.
    assertThat(inside).containsExactly(Math.min(19, caller + LowPriorityWriter.STEPS), SCHED_BATCH);
    OptionalLong slice = new LowPriorityWriter(false, new RequestPriority(false)).run(TimeSlice::currentThreadNanos);
    // The long slice is what lets a request that wakes take the core from a write at once.
    if (TimeSlice.currentThreadNanos().orElse(0) > 0) {
      assertThat(slice).hasValue(TimeSlice.DEFAULT_LONG_NANOS);
    }
    String before = System.getProperty(LowPriorityWriter.SCHEDULING_PROPERTY);
    try {
      System.setProperty(LowPriorityWriter.SCHEDULING_PROPERTY, "Idle ");
      assertThat(LowPriorityWriter.schedulingFromProperty()).isTrue();
      System.setProperty(LowPriorityWriter.SCHEDULING_PROPERTY, "realtime");
      assertThatThrownBy(LowPriorityWriter::schedulingFromProperty).hasMessageContaining("must be idle or nice, got 'realtime'");
      System.clearProperty(LowPriorityWriter.SCHEDULING_PROPERTY);
      assertThat(LowPriorityWriter.schedulingFromProperty()).as("default").isFalse();
    } finally {
      if (before == null) {
        System.clearProperty(LowPriorityWriter.SCHEDULING_PROPERTY);
      } else {
        System.setProperty(LowPriorityWriter.SCHEDULING_PROPERTY, before);
      }
    }
  }

  private static final int SCHED_OTHER = 0;
  private static final int SCHED_BATCH = 3;
  private static final int SCHED_IDLE = 5;

  /** The calling thread's nice value: field 19 of its stat line. */
  private static int nice() {
    return statField(19);
  }

  /** The calling thread's scheduling policy: field 41 of its stat line. */
  private static int policy() {
    return statField(41);
  }

  /** Field {@code n} (1-based, as in proc(5)) of the calling thread's stat line; the name may hold spaces. */
  private static int statField(int n) {
    try {
      String stat = Files.readString(Path.of("/proc/thread-self/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Integer.parseInt(fields[n - 3]);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
