package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class LiveTrafficTest {
  private static final long INTERVAL = 40_000_000L;

  @Test
  void aCallerOnTimeKeepsItsSchedule() {
    long due = 1_000_000_000L;
    assertThat(LiveTraffic.turnAfter(due, due - 5_000_000L, INTERVAL)).isEqualTo(due + INTERVAL);
    // slightly late (less than one interval): the schedule holds, so the rate does not drift
    assertThat(LiveTraffic.turnAfter(due, due + INTERVAL / 2, INTERVAL)).isEqualTo(due + INTERVAL);
  }

  @Test
  void aCallerFarBehindStartsAgainFromNowInsteadOfBursting() {
    long due = 1_000_000_000L;
    long now = due + 25 * INTERVAL; // a slow photo search
    long next = LiveTraffic.turnAfter(due, now, INTERVAL);
    assertThat(next).isEqualTo(now);
    assertThat(LiveTraffic.turnAfter(next, now, INTERVAL)).isEqualTo(now + INTERVAL);
  }

  @Test
  void optionsDerivePhotoSearchesFromTheRatesAndRejectImpossibleTraffic() {
    assertThat(options(100, 0.5).photoEvery()).isEqualTo(200);
    assertThat(options(10, 10).photoEvery()).isEqualTo(1);
    assertThatThrownBy(() -> options(0, 0.5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> options(10, 20)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
    assertThatThrownBy(() -> new LiveTraffic(null, List.of(), List.of(), 0, 10, 5)).isInstanceOf(IllegalArgumentException.class);
  }

  private static LiveBenchmark.Options options(double rate, double photoRate) {
    return new LiveBenchmark.Options(1000, 4, 10, 0.1, 100, rate, photoRate);
  }
}
