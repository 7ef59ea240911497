package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JointNetworkTest {
  @Test
  void towerShapesAndMaskedAttention() {
    RecDataset ds = Synthetic.dataset(1, 8, 12, 6, true, true);
    Schema schema = Schema.of(ds);
    JointModelConfig cfg = Synthetic.tinyConfig().build();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      ParameterStore ps = new ParameterStore(m, false);
      int n = 5;
      JointNetwork.ItemOut io = net.items(ps, m.create(new int[] {0, 1, 2, 3, 4}),
          m.create(new float[] {1, 1, 0, 1, 0}, new Shape(n, 1)), m.zeros(new Shape(n, schema.numAttrTokens())),
          m.ones(new Shape(n, schema.imageDim)), m.zeros(new Shape(n, schema.textDim)), false);
      assertThat(io.vectors().getShape()).isEqualTo(new Shape(n, 16));
      assertThat(io.image().getShape()).isEqualTo(new Shape(n, 16));
      int b = 3;
      int len = cfg.historyLength();
      float[] mask = new float[b * len];
      mask[0] = 1; // user 0: one item
      mask[len] = 1; // user 1: two items
      mask[len + 1] = 1; // user 2: none
      JointNetwork.UserOut uo = net.users(ps, m.create(new int[] {0, 1, 2}), m.ones(new Shape(b, 1)),
          m.zeros(new Shape(b, schema.numProfileTokens())), m.randomNormal(new Shape(b, len, 16)),
          m.create(mask, new Shape(b, len)), m.zeros(new Shape(b, len)), m.zeros(new Shape(b, len)), false);
      assertThat(uo.vectors().getShape()).isEqualTo(new Shape(b, 16));
      float[] att = uo.attention().toFloatArray();
      assertThat(att[0]).isCloseTo(1f, within(1e-5f));
      assertThat(att[len] + att[len + 1]).isCloseTo(1f, within(1e-5f));
      assertThat(att[len + 2]).isCloseTo(0f, within(1e-6f));
      float sumNoHistory = 0;
      for (int j = 0; j < len; j++) {
        sumNoHistory += att[2 * len + j];
      }
      assertThat(sumNoHistory).isZero();
    }
  }

  /**
   * The per-item bias is stored divided by its step and used times it: an initial value lands in the
   * item vector unchanged, the parameter Adam moves holds 1/step of it, and a cold (masked) item gets none.
   */
  @Test
  void itemBiasIsStoredOverItsStepAndUsedTimesIt() {
    RecDataset ds = Synthetic.dataset(2, 6, 12, 5, true, true);
    Schema schema = Schema.of(ds);
    int n = schema.numItems();
    JointModelConfig cfg = Synthetic.tinyConfig().dim(32).itemBiasStep(4f).build();
    float[] init = new float[n];
    java.util.Random rnd = new java.util.Random(11);
    for (int i = 0; i < n; i++) {
      init[i] = (float) rnd.nextGaussian();
    }
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      net.initItemBias(init);
      float[] stored = net.getParameters().get("itemBias").getArray().toFloatArray();
      for (int i = 0; i < n; i++) {
        assertThat(stored[i]).isCloseTo(init[i] / 4f, within(1e-6f));
      }
      ParameterStore ps = new ParameterStore(m, false);
      int[] ids = new int[n];
      for (int i = 0; i < n; i++) {
        ids[i] = i;
      }
      float[] withId = lastCoordinate(net.items(ps, m.create(ids), m.ones(new Shape(n, 1)),
          m.zeros(new Shape(n, schema.numAttrTokens())), m.ones(new Shape(n, schema.imageDim)),
          m.ones(new Shape(n, schema.textDim)), false).vectors());
      float[] cold = lastCoordinate(net.items(ps, m.create(ids), m.zeros(new Shape(n, 1)),
          m.zeros(new Shape(n, schema.numAttrTokens())), m.ones(new Shape(n, schema.imageDim)),
          m.ones(new Shape(n, schema.textDim)), false).vectors());
      for (int i = 0; i < n; i++) {
        assertThat(withId[i] - cold[i]).isCloseTo(init[i], within(1e-5f));
      }
    }
  }

  private static float[] lastCoordinate(ai.djl.ndarray.NDArray vectors) {
    long d = vectors.getShape().get(1);
    return vectors.get(":, " + (d - 1)).toFloatArray();
  }

  @Test
  void tasteBlockHoldsTheAttributeBagAndTheUsersOwnTaste() {
    RecDataset ds = Synthetic.dataset(4, 6, 12, 5, true, true);
    Schema schema = Schema.of(ds);
    int tokens = schema.numAttrTokens();
    JointModelConfig cfg = Synthetic.tinyConfig().dim(32).build();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      assertThat(net.tasteDim()).isEqualTo(tokens);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      ParameterStore ps = new ParameterStore(m, false);
      int start = 32 - 1 - tokens;
      float[] bags = new float[2 * tokens];
      bags[0] = 1f;
      bags[tokens + tokens - 1] = 0.5f;
      JointNetwork.ItemOut io = net.items(ps, m.create(new int[] {0, 1}), m.ones(new Shape(2, 1)),
          m.create(bags, new Shape(2, tokens)), m.ones(new Shape(2, schema.imageDim)),
          m.ones(new Shape(2, schema.textDim)), false);
      assertThat(io.vectors().get(":, " + start + ":" + (start + tokens)).toFloatArray()).containsExactly(bags);

      float[] own = new float[tokens];
      own[1] = 0.2f;
      net.getParameters().get("userTaste").getArray().set(new ai.djl.ndarray.index.NDIndex("1, :"),
          m.create(own, new Shape(1, tokens)));
      int len = cfg.historyLength();
      JointNetwork.UserOut uo = net.users(ps, m.create(new int[] {1, 1}), m.create(new float[] {1, 0}, new Shape(2, 1)),
          m.zeros(new Shape(2, schema.numProfileTokens())), m.zeros(new Shape(2, len, 32)), m.zeros(new Shape(2, len)),
          m.zeros(new Shape(2, len)), m.zeros(new Shape(2, len)), false);
      float[] block = uo.vectors().get(":, " + start + ":" + (start + tokens)).toFloatArray();
      // no profile and no history: the block is the user's own taste (scaled), and nothing for an unknown user
      assertThat(block[1]).isCloseTo(0.2f * JointNetwork.TASTE_STEP, within(1e-5f));
      assertThat(block[0]).isZero();
      assertThat(block[tokens + 1]).isZero();
      assertThat(uo.ownTaste().toFloatArray()[1]).isCloseTo(0.2f * JointNetwork.TASTE_STEP, within(1e-5f));
    }
    // a vocabulary that leaves the deep part fewer than MIN_DEEP_DIM coordinates gets no taste block
    assertThat(JointNetwork.tasteDim(Synthetic.tinyConfig().dim(8).build(), tokens)).isZero();
    assertThat(JointNetwork.tasteDim(Synthetic.tinyConfig().dim(32).tasteBlock(false).build(), tokens)).isZero();
  }

  @Test
  void theSessionTermWeighsWhatEverySessionItemShares() {
    RecDataset ds = Synthetic.dataset(4, 6, 12, 5, true, true);
    Schema schema = Schema.of(ds);
    int k = schema.numAttrTokens();
    JointModelConfig cfg = Synthetic.tinyConfig().dim(32).historyLength(4).build();
    int len = cfg.historyLength();
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      ParameterStore ps = new ParameterStore(m, false);
      int start = 32 - 1 - k;
      // row 0: session = positions 0 and 1, sharing token 0 fully and token 1 at 0.5 / 1; position 2 is an
      //        older session that lacks token 0 and must not count
      // row 1: a one-item session: its whole bag is common
      // row 2: no history
      float[] hist = new float[3 * len * 32];
      float[] mask = new float[3 * len];
      float[] session = new float[3 * len];
      java.util.function.BiConsumer<int[], float[]> put = (rowPos, bag) -> {
        System.arraycopy(bag, 0, hist, (rowPos[0] * len + rowPos[1]) * 32 + start, bag.length);
        mask[rowPos[0] * len + rowPos[1]] = 1f;
      };
      float[] a = new float[k];
      a[0] = 1f;
      a[1] = 0.5f;
      float[] b = new float[k];
      b[0] = 1f;
      b[1] = 1f;
      b[2] = 1f;
      float[] older = new float[k];
      older[1] = 1f;
      put.accept(new int[] {0, 0}, a);
      put.accept(new int[] {0, 1}, b);
      put.accept(new int[] {0, 2}, older);
      session[0] = 1f;
      session[1] = 1f;
      put.accept(new int[] {1, 0}, b);
      session[len] = 1f;

      float[] common = JointNetwork.sessionCommonBag(m.create(hist, new Shape(3, len, 32)).get(":, :, " + start + ":" + (start + k)),
          m.create(session, new Shape(3, len))).toFloatArray();
      float[] expected = new float[3 * k];
      expected[0] = 1f;
      expected[1] = 0.5f;
      System.arraycopy(b, 0, expected, k, k);
      assertThat(common).containsExactly(expected);

      float[] w = new float[k];
      for (int i = 0; i < k; i++) {
        w[i] = 0.1f * (i + 1);
      }
      net.getParameters().get("sessionTaste").getArray().set(m.create(w, new Shape(1, k)).toFloatArray());
      JointNetwork.UserOut with = net.users(ps, m.create(new int[] {0, 0, 0}), m.zeros(new Shape(3, 1)),
          m.zeros(new Shape(3, schema.numProfileTokens())), m.create(hist, new Shape(3, len, 32)), m.create(mask, new Shape(3, len)),
          m.zeros(new Shape(3, len)), m.create(session, new Shape(3, len)), false);
      JointNetwork.UserOut without = net.users(ps, m.create(new int[] {0, 0, 0}), m.zeros(new Shape(3, 1)),
          m.zeros(new Shape(3, schema.numProfileTokens())), m.create(hist, new Shape(3, len, 32)), m.create(mask, new Shape(3, len)),
          m.zeros(new Shape(3, len)), m.zeros(new Shape(3, len)), false);
      float[] t1 = with.vectors().get(":, " + start + ":" + (start + k)).toFloatArray();
      float[] t0 = without.vectors().get(":, " + start + ":" + (start + k)).toFloatArray();
      for (int r = 0; r < 3; r++) {
        for (int i = 0; i < k; i++) {
          assertThat(t1[r * k + i] - t0[r * k + i]).as("row %d token %d", r, i)
              .isCloseTo(expected[r * k + i] * w[i] * JointNetwork.SESSION_STEP, within(1e-5f));
        }
      }
    }
    // off: no parameter
    try (NDManager m = NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork off = new JointNetwork(Synthetic.tinyConfig().dim(32).sessionGapSeconds(0).build(), schema);
      off.initialize(m, DataType.FLOAT32, new Shape(1, 1));
      assertThat(off.getParameters().contains("sessionTaste")).isFalse();
    }
  }

  @Test
  void missingModalityAndColdItemsGiveFiniteVectors() {
    RecDataset full = Synthetic.dataset(2, 20, 16, 8, false, true);
    // a dataset where half of the items lack text: zeros are fed, never NaN
    java.util.List<ItemFeatures> items = new java.util.ArrayList<>();
    for (ItemFeatures f : full.items()) {
      boolean drop = Integer.parseInt(f.id().substring(2)) % 2 == 0;
      items.add(new ItemFeatures(f.id(), null, drop ? null : f.text(), f.attributes()));
    }
    RecDataset ds = new RecDataset(items, full.users(), full.interactions(), Map.of());
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(ds, split)) {
      for (float[] v : model.allItemVectors().values()) {
        for (float x : v) {
          assertThat(Float.isFinite(x)).isTrue();
        }
      }
      float[] cold = model.itemVectorFromContent(new ItemFeatures("NEW-1", null, null,
          Map.of("category", "ring", "color", "rose", "unknown_key", "x")));
      assertThat(cold).hasSize(16 + 64);
      for (float x : cold) {
        assertThat(Float.isFinite(x)).isTrue();
      }
      // a cold item has no collaborative evidence: its collaborative part is zero
      assertThat(java.util.Arrays.copyOfRange(cold, 16, 80)).containsOnly(0f);
      // content-only vector of a known item differs from its trained vector (the id part is dropped)
      ItemFeatures known = items.get(1);
      assertThat(model.itemVectorFromContent(known)).isNotEqualTo(model.itemVector(known.id()));
      Map<String, Double> prefs = model.predictedPreferences(model.userVector("u-1",
          ds.interactions().subList(0, 3), null).vector());
      double categorySum = prefs.entrySet().stream().filter(e -> e.getKey().startsWith("category="))
          .mapToDouble(Map.Entry::getValue).sum();
      assertThat(categorySum).isCloseTo(1.0, within(1e-6));
    }
  }
}
