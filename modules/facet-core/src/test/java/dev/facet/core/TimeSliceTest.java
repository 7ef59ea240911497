package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A thread gets the slice it asks for, alone, keeping its nice value, and passes it to the threads
 * it starts; lowered background threads get the long slice; bad slices are refused.
 */
class TimeSliceTest {
  @Test
  void aThreadGetsTheSliceItAsksForPassesItOnAndOtherThreadsKeepTheirs() throws InterruptedException {
    OptionalLong before = TimeSlice.currentThreadNanos();
    Assumptions.assumeTrue(before.isPresent(), "sched_getattr is only reachable on 64-bit Linux with libc");
    AtomicReference<OptionalLong> child = new AtomicReference<>();
    Boolean took = InNewThread.get(() -> {
      boolean set = TimeSlice.setCurrentThread(250_000);
      Thread started = new Thread(() -> child.set(TimeSlice.currentThreadNanos()));
      started.start();
      InNewThread.join(started);
      return set && TimeSlice.currentThreadNanos().getAsLong() == 250_000;
    });
    Assumptions.assumeTrue(took, "this kernel ignores custom slices (Linux < 6.12)");
    assertThat(child.get()).as("a thread started by it").hasValue(250_000);
    assertThat(TimeSlice.currentThreadNanos()).as("the caller keeps its slice").isEqualTo(before);
  }

  @Test
  void theSliceKeepsTheThreadsNiceValue() throws InterruptedException {
    Assumptions.assumeTrue(TimeSlice.currentThreadNanos().isPresent() && BackgroundPriority.currentNice().isPresent(),
        "only on 64-bit Linux with libc");
    int[] niceChange = new int[1];
    Boolean took = InNewThread.get(() -> {
      BackgroundPriority.lowerCurrentThreadBy(3);
      int lowered = BackgroundPriority.currentNice().getAsInt();
      boolean set = TimeSlice.setCurrentThread(TimeSlice.MIN_NANOS);
      niceChange[0] = BackgroundPriority.currentNice().getAsInt() - lowered;
      return set;
    });
    Assumptions.assumeTrue(took, "this kernel ignores custom slices (Linux < 6.12)");
    assertThat(niceChange[0]).as("nice value changed by the slice").isZero();
  }

  @Test
  void loweredThreadsGetTheLongSliceUnlessThePropertySaysKernel() throws InterruptedException {
    Assumptions.assumeTrue(TimeSlice.currentThreadNanos().isPresent(), "only on 64-bit Linux with libc");
    Assumptions.assumeTrue(InNewThread.get(() -> TimeSlice.setCurrentThread(TimeSlice.MAX_NANOS)),
        "this kernel ignores custom slices (Linux < 6.12)");
    long fresh = InNewThread.get(() -> TimeSlice.currentThreadNanos().getAsLong());
    assertThat(fresh).as("a new thread of the test has the kernel's default").isNotEqualTo(TimeSlice.DEFAULT_LONG_NANOS);
    assertThat(InNewThread.get(() -> {
      BackgroundPriority.lowerCurrentThreadBy(2);
      return TimeSlice.currentThreadNanos().getAsLong();
    })).isEqualTo(TimeSlice.DEFAULT_LONG_NANOS);
    String old = System.getProperty(TimeSlice.PROPERTY);
    try {
      System.setProperty(TimeSlice.PROPERTY, "kernel");
      assertThat(InNewThread.get(() -> {
        BackgroundPriority.lowerCurrentThreadBy(2);
        return TimeSlice.currentThreadNanos().getAsLong();
      })).as("left as a new thread has it").isEqualTo(fresh);
      System.setProperty(TimeSlice.PROPERTY, "5000000");
      assertThat(InNewThread.get(() -> TimeSlice.lengthenCurrentThread() ? TimeSlice.currentThreadNanos().getAsLong() : -1))
          .isEqualTo(5_000_000);
      System.setProperty(TimeSlice.PROPERTY, "long");
      assertThatThrownBy(TimeSlice::lengthenCurrentThread).hasMessageContaining("-Dfacet.long.slice")
          .hasMessageContaining("'long'");
    } finally {
      if (old == null) {
        System.clearProperty(TimeSlice.PROPERTY);
      } else {
        System.setProperty(TimeSlice.PROPERTY, old);
      }
    }
  }

  @Test
  void aRequestThreadGetsTheRequestSliceAndLongerSlicesAreKept() throws InterruptedException {
    Assumptions.assumeTrue(TimeSlice.currentThreadNanos().isPresent(), "only on 64-bit Linux with libc");
    Assumptions.assumeTrue(InNewThread.get(() -> TimeSlice.setCurrentThread(TimeSlice.MAX_NANOS)),
        "this kernel ignores custom slices (Linux < 6.12)");
    long[] seen = InNewThread.get(() -> {
      long before = TimeSlice.currentThreadNanos().getAsLong();
      boolean took = TimeSlice.forRequestThread();
      return new long[] {before, TimeSlice.currentThreadNanos().getAsLong(), took ? 1 : 0};
    });
    assertThat(seen[0]).as("a new thread's default").isLessThan(TimeSlice.REQUEST_NANOS);
    assertThat(seen[1]).isEqualTo(TimeSlice.REQUEST_NANOS);
    assertThat(seen[2]).isEqualTo(1);
    long[] background = InNewThread.get(() -> {
      TimeSlice.setCurrentThread(TimeSlice.DEFAULT_LONG_NANOS);
      boolean took = TimeSlice.forRequestThread();
      return new long[] {TimeSlice.currentThreadNanos().getAsLong(), took ? 1 : 0};
    });
    assertThat(background).as("a longer slice is kept").containsExactly(TimeSlice.DEFAULT_LONG_NANOS, 1);
    assertThat(TimeSlice.REQUEST_NANOS).as("a waking request must still preempt long-running work")
        .isLessThan(TimeSlice.DEFAULT_LONG_NANOS);
  }

  @Test
  void slicesOutsideWhatLinuxAcceptsAreRefused() {
    assertThatThrownBy(() -> TimeSlice.setCurrentThread(99_999)).hasMessageContaining("[100000, 100000000]");
    assertThatThrownBy(() -> TimeSlice.setCurrentThread(100_000_001)).hasMessageContaining("got 100000001");
  }

  /** Runs {@code body} on a new thread, so the test thread's own slice is never changed. */
}
