package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.RequestThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A marked thread runs real-time from its first call during background work to its first call after
 * it, and then has its scheduling back; unmarked threads and a priority turned off are never raised;
 * a catalog write counts as background work for exactly its length.
 */
class RequestPriorityTest {
  @Test
  void aMarkedThreadRunsRealtimeFromItsFirstCallDuringBackgroundWorkUntilItsFirstCallAfter() throws Exception {
    assumeRaisingPermitted();
    RequestPriority priority = new RequestPriority(true);
    List<String> seen = onMarkedThread(() -> {
      List<String> out = new ArrayList<>();
      java.util.OptionalLong slice = dev.facet.core.TimeSlice.currentThreadNanos();
      priority.beforeCall();
      out.add("idle call " + realtime());
      try (RequestPriority.Scope background = priority.background()) {
        out.add("work started, before a call " + realtime());
        priority.beforeCall();
        out.add("first call " + realtime());
        Thread.sleep(5);
        out.add("between calls " + realtime());
        priority.beforeCall();
        out.add("second call " + realtime());
      }
      out.add("work over, before a call " + realtime());
      priority.beforeCall();
      out.add("call after " + realtime() + ", slice back " + dev.facet.core.TimeSlice.currentThreadNanos().equals(slice));
      return out;
    });
    assertThat(seen).containsExactly("idle call false", "work started, before a call false", "first call true",
        "between calls true", "second call true", "work over, before a call true", "call after false, slice back true");
    assertThat(priority.raisedCalls()).isEqualTo(2);
    assertThat(priority.state()).isEqualTo(RequestPriority.State.REALTIME);
  }

  @Test
  void unmarkedThreadsAndATurnedOffPriorityAreNeverRaised() throws Exception {
    RequestPriority on = new RequestPriority(true);
    RequestPriority off = new RequestPriority(false);
    try (RequestPriority.Scope a = on.background(); RequestPriority.Scope b = off.background()) {
      boolean unmarked = inThread(() -> {
        on.beforeCall();
        return realtime();
      }, false);
      boolean turnedOff = onMarkedThread(() -> {
        off.beforeCall();
        return realtime();
      });
      assertThat(unmarked).as("unmarked thread").isFalse();
      assertThat(turnedOff).as("priority off").isFalse();
    }
    assertThat(on.raisedCalls() + off.raisedCalls()).isZero();
    assertThat(off.state()).isEqualTo(RequestPriority.State.OFF);
    assertThat(on.state()).isEqualTo(RequestPriority.State.UNTRIED);
  }

  @Test
  void aCatalogWriteIsBackgroundWorkForExactlyItsLengthEvenWhenItFails() {
    RequestPriority priority = new RequestPriority(true);
    LowPriorityWriter writer = new LowPriorityWriter(false, priority);
    assertThat(writer.run(priority::backgroundUnderWay)).isTrue();
    assertThat(priority.backgroundUnderWay()).isFalse();
    assertThatThrownBy(() -> writer.run(() -> {
      throw new IllegalStateException("bad batch");
    })).hasMessageContaining("bad batch");
    assertThat(priority.backgroundUnderWay()).isFalse();
  }

  @Test
  void closingABackgroundScopeTwiceEndsItOnce() {
    RequestPriority priority = new RequestPriority(true);
    RequestPriority.Scope first = priority.background();
    RequestPriority.Scope second = priority.background();
    first.close();
    first.close();
    assertThat(priority.backgroundUnderWay()).isTrue();
    second.close();
    assertThat(priority.backgroundUnderWay()).isFalse();
  }

  @Test
  void thePropertyTakesAutoOrOff() {
    String old = System.getProperty(RequestPriority.PROPERTY);
    try {
      System.setProperty(RequestPriority.PROPERTY, " OFF ");
      assertThat(RequestPriority.enabledByProperty()).isFalse();
      System.setProperty(RequestPriority.PROPERTY, "auto");
      assertThat(RequestPriority.enabledByProperty()).isTrue();
      System.setProperty(RequestPriority.PROPERTY, "fifo");
      assertThatThrownBy(RequestPriority::enabledByProperty).hasMessageContaining("auto or off, got 'fifo'");
    } finally {
      if (old == null) {
        System.clearProperty(RequestPriority.PROPERTY);
      } else {
        System.setProperty(RequestPriority.PROPERTY, old);
      }
    }
  }

  private static boolean realtime() {
    return RequestThreads.currentRealtime().orElse(false);
  }

  private static void assumeRaisingPermitted() throws Exception {
    boolean permitted = inThread(() -> {
      byte[] before = RequestThreads.raiseCurrent();
      if (before != null) {
        RequestThreads.restoreCurrent(before);
      }
      return before != null;
    }, false);
    Assumptions.assumeTrue(permitted, "SCHED_RR not available here: not 64-bit Linux, or no CAP_SYS_NICE "
        + "and no real-time priority limit");
  }

  private static <T> T onMarkedThread(Callable<T> body) throws Exception {
    return inThread(body, true);
  }

  /** Runs {@code body} on a fresh thread (marked as a request thread or not), so the test's own keeps its scheduling. */
  private static <T> T inThread(Callable<T> body, boolean marked) throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      return pool.submit(() -> {
        if (marked) {
          RequestThreads.markCurrent();
        }
        return body.call();
      }).get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    } finally {
      pool.shutdownNow();
    }
  }
}
