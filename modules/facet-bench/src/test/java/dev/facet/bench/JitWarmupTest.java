package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class JitWarmupTest {
  @Test
  void warmUpGoesOnWhileTheJitCompilesAndStopsOnceItIsQuiet() {
    assertThat(JitWarmup.keepWarming(1, 0, 5000, 2, 12)).as("at least the minimum").isTrue();
    assertThat(JitWarmup.keepWarming(2, 2500, 5000, 2, 12)).as("the compiler still busy").isTrue();
    assertThat(JitWarmup.keepWarming(5, 99, 5000, 2, 12)).as("quiet").isFalse();
    assertThat(JitWarmup.keepWarming(5, 99, 200, 2, 12)).as("99 ms in a 0.2 s round is not quiet").isTrue();
    assertThat(JitWarmup.keepWarming(5, 4, 200, 2, 12)).as("2% of a short round is").isFalse();
    assertThat(JitWarmup.keepWarming(5, 100, 60000, 2, 12)).as("never 100 ms or more").isTrue();
    assertThat(JitWarmup.keepWarming(12, 2500, 5000, 2, 12)).as("bounded").isFalse();
  }

  @Test
  void runsBetweenTheMinimumAndTheMaximumRounds() {
    AtomicInteger runs = new AtomicInteger();
    int rounds = JitWarmup.untilQuiet(runs::incrementAndGet, 3, 5);
    assertThat(rounds).isEqualTo(runs.get()).isBetween(3, 5);
    assertThatThrownBy(() -> JitWarmup.untilQuiet(() -> {}, 0, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> JitWarmup.untilQuiet(() -> {}, 4, 3)).isInstanceOf(IllegalArgumentException.class);
  }
}
