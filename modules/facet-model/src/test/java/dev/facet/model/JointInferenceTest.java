package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The plain-Java serving path must compute the DJL forward pass of a trained model. */
class JointInferenceTest {
  private static final float TOLERANCE = 1e-4f;

  @Test
  void userVectorsAttentionAndPreferencesMatchTheDjlForward() {
    RecDataset ds = Synthetic.dataset(5, 24, 32, 14, true, true);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    // More history positions than some users have, so padding and truncation are both exercised.
    // a 2 h session gap: the synthetic events, 1 h apart, form sessions, so the session weights get trained
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().historyLength(10).epochs(2).sessionGapSeconds(2 * 3600)
        .build()).train(ds, split)) {
      JointInference fast = JointInference.of(model);
      int checked = 0;
      for (Map.Entry<String, UserProfile> e : ds.users().entrySet()) {
        String user = e.getKey();
        List<Interaction> events = eventsOf(ds, user);
        assertSame(model, fast, model.userVector(user, events, e.getValue()), fast.userVector(user, events, e.getValue()));
        // a prefix (shorter than historyLength) and no profile
        List<Interaction> few = events.subList(0, Math.min(3, events.size()));
        assertSame(model, fast, model.userVector(user, few, null), fast.userVector(user, few, null));
        checked++;
      }
      assertThat(checked).isGreaterThan(10);
      List<Interaction> session = new ArrayList<>();
      Instant t = Instant.parse("2026-06-01T00:00:00Z");
      session.add(new Interaction("anon", "I-3", EventType.VIEW, t));
      session.add(new Interaction("anon", "I-7", EventType.CART, t.plusSeconds(1)));
      session.add(new Interaction("anon", "I-3", EventType.PURCHASE, t.plusSeconds(2))); // repeat: strongest event wins
      session.add(new Interaction("anon", "NOT-AN-ITEM", EventType.CLICK, t.plusSeconds(3)));
      assertSame(model, fast, model.userVector(null, session, null), fast.userVector(null, session, null));
      assertSame(model, fast, model.userVector("u-unknown", session, new UserProfile("u-unknown", "25-34", "f", 2)),
          fast.userVector("u-unknown", session, new UserProfile("u-unknown", "25-34", "f", 2)));
      // the session term: both paths agree whether the session is still going at the request or is over,
      // and the two differ (a trained model weighs what a current session's items share)
      float[] sessionWeights = model.network().getParameters().get("sessionTaste").getArray().toFloatArray();
      assertThat(sessionWeights).as("trained session weights").isNotEqualTo(new float[sessionWeights.length]);
      Instant going = t.plusSeconds(60);
      Instant over = t.plusSeconds(3 * 3600);
      JointModel.UserVector during = model.userVector(null, session, null, going);
      JointModel.UserVector after = model.userVector(null, session, null, over);
      assertSame(model, fast, during, fast.userVector(null, session, null, going));
      assertSame(model, fast, after, fast.userVector(null, session, null, over));
      assertSame(model, fast, model.userVector(null, session, null), during);
      assertThat(during.vector()).isNotEqualTo(after.vector());
      // no history at all: the pooled part is zero in both
      assertSame(model, fast, model.userVector("u-1", List.of(), null), fast.userVector("u-1", List.of(), null));
    }
  }

  /** A closed model refuses native calls instead of reading freed memory; served plain-Java exports keep working. */
  @Test
  void aClosedModelFailsClearlyWhileItsExportKeepsServing() {
    RecDataset ds = Synthetic.dataset(5, 24, 32, 14, true, true);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(ds, split);
    JointInference fast = JointInference.of(model);
    List<Interaction> history = eventsOf(ds, "u-1");
    float[] before = fast.userVector("u-1", history, ds.users().get("u-1")).vector();
    model.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> model.userVector("u-1", history, ds.users().get("u-1"), null))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JointInference.of(model))
        .isInstanceOf(IllegalStateException.class);
    assertThat(fast.userVector("u-1", history, ds.users().get("u-1")).vector()).containsExactly(before);
  }

  /** When validation drops the deep residual, both paths serve taste + bias only, and agree. */
  @Test
  void withoutItsDeepPartTheUserVectorKeepsOnlyTasteAndBias() {
    RecDataset ds = Synthetic.dataset(5, 24, 32, 14, true, true);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(ds, split)) {
      JointNetwork net = model.network();
      assertThat(net.tasteDim()).isPositive();
      net.deepPartScores(true);
      JointModel.UserVector withDeep = model.userVector("u-1", eventsOf(ds, "u-1"), ds.users().get("u-1"));
      net.deepPartScores(false);
      JointInference fast = JointInference.of(model);
      int checked = 0;
      for (Map.Entry<String, UserProfile> e : ds.users().entrySet()) {
        List<Interaction> events = eventsOf(ds, e.getKey());
        JointModel.UserVector djl = model.userVector(e.getKey(), events, e.getValue());
        assertSame(model, fast, djl, fast.userVector(e.getKey(), events, e.getValue()));
        for (int c = 0; c < net.tasteStart(); c++) {
          assertThat(djl.vector()[c]).as("deep coordinate %d", c).isZero();
        }
        checked++;
      }
      assertThat(checked).isGreaterThan(10);
      JointModel.UserVector without = model.userVector("u-1", eventsOf(ds, "u-1"), ds.users().get("u-1"));
      float[] deep = java.util.Arrays.copyOf(withDeep.vector(), net.tasteStart());
      assertThat(deep).as("the deep part was there before").isNotEqualTo(new float[net.tasteStart()]);
      for (int c = net.tasteStart(); c < without.vector().length; c++) {
        assertThat(without.vector()[c]).as("taste / bias coordinate %d", c).isCloseTo(withDeep.vector()[c], within(TOLERANCE));
      }
    }
  }

  private static List<Interaction> eventsOf(RecDataset ds, String user) {
    return ds.interactions().stream().filter(i -> i.user().equals(user)).toList();
  }

  /** The defaults (recent-item term, bias coordinate) are covered above; this one switches them off. */
  @Test
  void modelWithoutProfileOrContentStillMatches() {
    RecDataset ds = Synthetic.dataset(9, 16, 24, 10, false, false);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().useProfile(false).heads(3).epochs(1)
        .recentItemTerm(false).biasCoordinate(false).idBiasOnly(false).build())
        .train(ds, split)) {
      JointInference fast = JointInference.of(model);
      for (String user : ds.users().keySet()) {
        List<Interaction> events = eventsOf(ds, user);
        assertSame(model, fast, model.userVector(user, events, ds.users().get(user)), fast.userVector(user, events, ds.users().get(user)));
      }
    }
  }

  @Test
  void concurrentCallersGetTheSameAnswers() throws Exception {
    RecDataset ds = Synthetic.dataset(3, 12, 24, 10, true, false);
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(ds, split)) {
      JointInference fast = JointInference.of(model);
      List<Interaction> events = eventsOf(ds, "u-2");
      float[] expected = fast.userVector("u-2", events, null).vector();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<float[]>> futures = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
          futures.add(pool.submit(() -> fast.userVector("u-2", events, null).vector()));
        }
        for (Future<float[]> f : futures) {
          assertThat(f.get()).containsExactly(expected);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  private static void assertSame(JointModel model, JointInference fast, JointModel.UserVector djl,
      JointModel.UserVector java) {
    assertThat(java.history()).isEqualTo(djl.history());
    assertThat(java.vector()).hasSameSizeAs(djl.vector());
    for (int i = 0; i < djl.vector().length; i++) {
      assertThat(java.vector()[i]).as("vector[%d]", i).isCloseTo(djl.vector()[i], within(TOLERANCE));
    }
    assertThat(java.attention()).hasSameSizeAs(djl.attention());
    for (int i = 0; i < djl.attention().length; i++) {
      assertThat(java.attention()[i]).as("attention[%d]", i).isCloseTo(djl.attention()[i], within(TOLERANCE));
    }
    // the vector must not be trivially zero, or the comparison proves nothing
    double norm = 0;
    for (float x : djl.vector()) {
      norm += x * x;
    }
    assertThat(norm).isGreaterThan(1e-6);
    Map<String, Double> expected = model.predictedPreferences(djl.vector());
    Map<String, Double> actual = fast.predictedPreferences(djl.vector());
    assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
    expected.forEach((token, p) -> assertThat(actual.get(token)).as(token).isCloseTo(p, within(1e-5)));
  }
}
