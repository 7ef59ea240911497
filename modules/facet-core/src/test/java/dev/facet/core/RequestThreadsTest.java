package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A marked thread is marked alone; a raised thread runs real-time, its children start ordinary, and
 * it gets its policy, nice value and slice back.
 */
class RequestThreadsTest {
  @Test
  void markingMarksTheCallingThreadOnly() throws InterruptedException {
    assertThat(InNewThread.get(RequestThreads::currentIsMarked)).as("a fresh thread").isFalse();
    AtomicReference<Boolean> sibling = new AtomicReference<>();
    boolean marked = InNewThread.get(() -> {
      RequestThreads.markCurrent();
      Thread other = new Thread(() -> sibling.set(RequestThreads.currentIsMarked()));
      other.start();
      InNewThread.join(other);
      return RequestThreads.currentIsMarked();
    });
    assertThat(marked).isTrue();
    assertThat(sibling.get()).as("a thread the marked one started").isFalse();
  }

  @Test
  void aRaisedThreadRunsRealtimeItsChildrenStartOrdinaryAndItGetsItsSchedulingBack() throws InterruptedException {
    Assumptions.assumeTrue(RequestThreads.currentRealtime().isPresent(), "sched_getattr is only reachable on 64-bit Linux");
    AtomicReference<String> report = new AtomicReference<>();
    Boolean raised = InNewThread.get(() -> {
      BackgroundPriority.lowerCurrentThreadBy(2);
      int nice = BackgroundPriority.currentNice().getAsInt();
      OptionalLong slice = TimeSlice.currentThreadNanos();
      byte[] before = RequestThreads.raiseCurrent();
      if (before == null) {
        return false;
      }
      boolean realtime = RequestThreads.currentRealtime().orElseThrow();
      AtomicReference<Boolean> child = new AtomicReference<>();
      Thread started = new Thread(() -> child.set(RequestThreads.currentRealtime().orElseThrow()));
      started.start();
      InNewThread.join(started);
      boolean restored = RequestThreads.restoreCurrent(before);
      report.set("realtime=" + realtime + " child=" + child.get() + " restored=" + restored
          + " after=" + RequestThreads.currentRealtime().orElseThrow()
          + " niceKept=" + (BackgroundPriority.currentNice().getAsInt() == nice)
          + " batch=" + BackgroundPriority.currentThreadBatch().orElseThrow()
          + " sliceKept=" + TimeSlice.currentThreadNanos().equals(slice));
      return true;
    });
    Assumptions.assumeTrue(raised, "the kernel refused SCHED_RR: no CAP_SYS_NICE and no real-time priority limit");
    assertThat(report.get()).isEqualTo(
        "realtime=true child=false restored=true after=false niceKept=true batch=true sliceKept=true");
  }

  @Test
  void aThreadAlreadyRealtimeIsNotRaisedAgain() throws InterruptedException {
    Assumptions.assumeTrue(RequestThreads.currentRealtime().isPresent(), "sched_getattr is only reachable on 64-bit Linux");
    Boolean[] secondRaise = new Boolean[1];
    Boolean raised = InNewThread.get(() -> {
      byte[] before = RequestThreads.raiseCurrent();
      if (before == null) {
        return false;
      }
      secondRaise[0] = RequestThreads.raiseCurrent() != null;
      RequestThreads.restoreCurrent(before);
      return true;
    });
    Assumptions.assumeTrue(raised, "the kernel refused SCHED_RR: no CAP_SYS_NICE and no real-time priority limit");
    assertThat(secondRaise[0]).as("raise of a real-time thread").isFalse();
  }

  @Test
  void restoringWithoutARaiseIsAnError() {
    assertThatThrownBy(() -> RequestThreads.restoreCurrent(null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not raised");
  }
}
