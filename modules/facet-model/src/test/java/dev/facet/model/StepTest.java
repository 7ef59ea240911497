package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.EventType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private static List<Step> at(long... seconds) {
    List<Step> seq = new ArrayList<>();
    for (int i = 0; i < seconds.length; i++) {
      seq.add(new Step(i, EventType.VIEW, T0.plusSeconds(seconds[i])));
    }
    return seq;
  }

  @Test
  void theSessionIsTheTrailingRunOfItemsWithinTheGap() {
    // two sessions: 0, 100 | 5000, 5100, 6899 (each step within 1800 s of the one before)
    List<Step> seq = at(0, 100, 5000, 5100, 6899);
    float[] flags = new float[6];
    Step.markSession(seq, seq.size(), 6, 1800, null, flags, 0);
    assertThat(flags).containsExactly(1, 1, 1, 0, 0, 0); // most recent first: 6899, 5100, 5000
    // a training example's history ends before its target: items 0..1 only
    float[] prefix = new float[4];
    Step.markSession(seq, 2, 4, 1800, null, prefix, 0);
    assertThat(prefix).containsExactly(1, 1, 0, 0);
    // a gap of exactly the limit starts a new session
    float[] edge = new float[3];
    Step.markSession(at(0, 1800), 2, 3, 1800, null, edge, 0);
    assertThat(edge).containsExactly(1, 0, 0);
  }

  @Test
  void aSessionThatEndedBeforeTheRequestIsNotCurrent() {
    List<Step> seq = at(0, 100, 200);
    float[] going = new float[3];
    Step.markSession(seq, seq.size(), 3, 1800, T0.plusSeconds(200 + 1799), going, 0);
    assertThat(going).containsExactly(1, 1, 1);
    float[] over = new float[3];
    Step.markSession(seq, seq.size(), 3, 1800, T0.plusSeconds(200 + 1800), over, 0);
    assertThat(over).containsExactly(0, 0, 0);
    // a training example asks at its target's time: item 2 at 5000 s follows a session that ended at 100 s
    float[] example = new float[3];
    Step.markSession(at(0, 100, 5000), 2, 3, 1800, T0.plusSeconds(5000), example, 0);
    assertThat(example).containsExactly(0, 0, 0);
  }

  @Test
  void flagsStopAtTheHistoryLengthAndWriteAtTheOffset() {
    List<Step> seq = at(0, 10, 20, 30);
    float[] rows = new float[2 * 3];
    Step.markSession(seq, seq.size(), 3, 1800, null, rows, 3);
    assertThat(rows).containsExactly(0, 0, 0, 1, 1, 1);
  }

  @Test
  void noHistoryOrNoGapMarksNothing() {
    float[] flags = new float[3];
    Step.markSession(at(0, 10), 0, 3, 1800, null, flags, 0);
    Step.markSession(at(0, 10), 2, 3, 0, null, flags, 0);
    assertThat(flags).containsExactly(0, 0, 0);
  }
}
