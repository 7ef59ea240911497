package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class DataSplitTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");

  private static Interaction ev(String u, String i, EventType e, long s) {
    return new Interaction(u, i, e, T0.plusSeconds(s));
  }

  @Test
  void leaveLastOutByFirstEventOfDistinctItems() {
    List<Interaction> in = List.of(
        ev("a", "x", EventType.VIEW, 1), ev("a", "y", EventType.VIEW, 2), ev("a", "x", EventType.PURCHASE, 10),
        ev("a", "z", EventType.VIEW, 5), ev("a", "w", EventType.CLICK, 7),
        ev("b", "x", EventType.VIEW, 1), ev("b", "y", EventType.VIEW, 2));
    DataSplit s = DataSplit.temporalLeaveLastOut(in);
    // a: x(1) y(2) z(5) w(7): the purchase of x at t=10 stays with x in training
    assertThat(s.test()).containsExactly(ev("a", "w", EventType.CLICK, 7));
    assertThat(s.valid()).containsExactly(ev("a", "z", EventType.VIEW, 5));
    assertThat(s.train()).contains(ev("a", "x", EventType.PURCHASE, 10));
    // b has only 2 items: all training
    assertThat(s.train()).contains(ev("b", "x", EventType.VIEW, 1), ev("b", "y", EventType.VIEW, 2));
    assertThat(s.name()).isEqualTo(DataSplit.TEMPORAL);
  }

  @RepeatedTest(5)
  void noHeldOutPairInTrainingAndTestIsLatest() {
    long seed = new Random().nextLong();
    Random rnd = new Random(seed);
    List<Interaction> in = new ArrayList<>();
    for (int u = 0; u < 30; u++) {
      int n = 1 + rnd.nextInt(15);
      for (int k = 0; k < n; k++) {
        in.add(ev("u" + u, "i" + rnd.nextInt(20), EventType.values()[rnd.nextInt(5)], rnd.nextInt(1000)));
      }
    }
    Collections.shuffle(in, rnd);
    for (DataSplit s : List.of(DataSplit.temporalLeaveLastOut(in), DataSplit.random(in, seed))) {
      Set<String> trainPairs = pairs(s.train());
      for (Interaction held : concat(s.valid(), s.test())) {
        assertThat(trainPairs).as("seed %d %s", seed, s.name()).doesNotContain(held.user() + "|" + held.item());
      }
      assertThat(s.train().size() + s.valid().size() + s.test().size()).isEqualTo(in.size());
    }
    DataSplit t = DataSplit.temporalLeaveLastOut(in);
    for (Interaction test : t.test()) {
      Instant first = in.stream().filter(x -> x.user().equals(test.user()) && x.item().equals(test.item()))
          .map(Interaction::ts).min(Instant::compareTo).orElseThrow();
      for (Interaction tr : t.train()) {
        if (tr.user().equals(test.user())) {
          Instant trFirst = in.stream().filter(x -> x.user().equals(tr.user()) && x.item().equals(tr.item()))
              .map(Interaction::ts).min(Instant::compareTo).orElseThrow();
          assertThat(trFirst).as("seed %d", seed).isBeforeOrEqualTo(first);
        }
      }
    }
  }

  @Test
  void randomSplitIsSeededAndRoughly801010() {
    List<Interaction> in = new ArrayList<>();
    for (int u = 0; u < 200; u++) {
      for (int i = 0; i < 50; i++) {
        in.add(ev("u" + u, "i" + i, EventType.VIEW, i));
      }
    }
    DataSplit a = DataSplit.random(in, 7);
    assertThat(a).isEqualTo(DataSplit.random(in, 7));
    assertThat(a.train().size() / 10000.0).isBetween(0.78, 0.82);
    assertThat(a.valid().size() / 10000.0).isBetween(0.09, 0.11);
  }

  private static Set<String> pairs(List<Interaction> in) {
    Set<String> out = new HashSet<>();
    for (Interaction x : in) {
      out.add(x.user() + "|" + x.item());
    }
    return out;
  }

  private static List<Interaction> concat(List<Interaction> a, List<Interaction> b) {
    List<Interaction> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
