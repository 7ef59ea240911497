package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Lowered threads run below their creator; idle threads run under SCHED_IDLE; callers keep their priority. */
class BackgroundPriorityTest {
  @Test
  void loweredDaemonsRunTheirStepsBelowTheThreadThatStartsThemAndAreNamedInOrder() throws InterruptedException {
    Assumptions.assumeTrue(BackgroundPriority.currentNice().isPresent(), "thread priorities are only set on Linux with libc");
    int caller = BackgroundPriority.currentNice().getAsInt();
    var factory = BackgroundPriority.loweredDaemons("facet-test-lowered", 7);
    AtomicReference<Integer> inside = new AtomicReference<>();
    Thread first = factory.newThread(() -> inside.set(BackgroundPriority.currentNice().getAsInt()));
    AtomicReference<Integer> startedByLowered = new AtomicReference<>();
    Thread second = factory.newThread(() -> { });
    // A pool thread started from a thread that is already lowered runs at the same value, not lower.
    first.start();
    first.join();
    assertThat(inside.get()).isEqualTo(Math.min(19, caller + 7));
    java.util.concurrent.atomic.AtomicReference<java.util.Optional<Boolean>> batch = new AtomicReference<>();
    Thread batchProbe = factory.newThread(() -> batch.set(BackgroundPriority.currentThreadBatch()));
    batchProbe.start();
    batchProbe.join();
    assertThat(batch.get()).as("lowered threads run under SCHED_BATCH").contains(true);
    assertThat(BackgroundPriority.currentThreadBatch()).as("the caller keeps its policy").contains(false);
    Thread starter = factory.newThread(
        () -> startAndJoin(factory.newThread(() -> startedByLowered.set(BackgroundPriority.currentNice().getAsInt()))));
    starter.start();
    starter.join();
    assertThat(startedByLowered.get()).isEqualTo(Math.min(19, caller + 7));
    assertThat(first.isDaemon()).isTrue();
    assertThat(first.getName()).isEqualTo("facet-test-lowered-1");
    assertThat(second.getName()).isEqualTo("facet-test-lowered-2");
    assertThat(BackgroundPriority.currentNice().getAsInt()).as("the caller keeps its priority").isEqualTo(caller);
    assertThatThrownBy(() -> BackgroundPriority.loweredDaemons("x", 0)).hasMessageContaining("at least 1");
    assertThat(BackgroundPriority.niceBelowCurrent(30)).isEqualTo(19);
  }

  @Test
  void anIdleThreadRunsUnderSchedIdleAndItsCallerDoesNot() throws InterruptedException {
    Assumptions.assumeTrue(BackgroundPriority.currentThreadIdle().isPresent(), "scheduling policies are only set on Linux with libc");
    AtomicReference<Boolean> set = new AtomicReference<>();
    AtomicReference<Boolean> after = new AtomicReference<>();
    AtomicReference<Boolean> child = new AtomicReference<>();
    Thread t = new Thread(() -> {
      set.set(BackgroundPriority.idleCurrentThread());
      after.set(BackgroundPriority.currentThreadIdle().orElseThrow());
      // A thread it starts (an engine's intra-op worker) inherits the policy.
      startAndJoin(new Thread(() -> child.set(BackgroundPriority.currentThreadIdle().orElseThrow())));
    });
    t.start();
    t.join();
    assertThat(set.get()).isTrue();
    assertThat(after.get()).isTrue();
    assertThat(child.get()).isTrue();
    assertThat(BackgroundPriority.currentThreadIdle()).contains(false);
  }

  @Test
  void niceValuesOutsideZeroToNineteenAreRefused() {
    assertThatThrownBy(() -> BackgroundPriority.checkNice(20, "-Dx")).hasMessage("-Dx must be a nice value in [0, 19], got 20");
    assertThatThrownBy(() -> BackgroundPriority.lowerCurrentThread(-1)).hasMessageContaining("got -1");
    assertThat(BackgroundPriority.checkNice(19, "n")).isEqualTo(19);
  }

  /** Starts {@code t} from the calling thread (so it inherits that thread's priority) and waits for it. */
  private static void startAndJoin(Thread t) {
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
