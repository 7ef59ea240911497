package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JointTrainerTest {
  @TempDir Path dir;

  private static final RecDataset DS = Synthetic.dataset(11, 40, 32, 12, true, true);
  private static final DataSplit SPLIT = DataSplit.temporalLeaveLastOut(DS.interactions());

  @Test
  void sameSeedSameModelOnCpu() {
    JointModelConfig cfg = Synthetic.tinyConfig().seed(5).hardNegatives(2).build();
    JointTrainer a = new JointTrainer(cfg);
    JointTrainer b = new JointTrainer(cfg);
    JointTrainer c = new JointTrainer(cfg.toBuilder().seed(6).build());
    try (JointModel ma = a.train(DS, SPLIT); JointModel mb = b.train(DS, SPLIT); JointModel mc = c.train(DS, SPLIT)) {
      assertThat(a.stats().bestValidationNdcg10()).isEqualTo(b.stats().bestValidationNdcg10());
      for (String id : ma.itemIds()) {
        assertThat(ma.itemVector(id)).containsExactly(mb.itemVector(id));
      }
      assertThat(ma.itemVector("I-0")).isNotEqualTo(mc.itemVector("I-0"));
    }
  }

  @Test
  void checkpointRoundTrip() {
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(2).build()).train(DS, SPLIT)) {
      Path file = dir.resolve("model.ckpt");
      model.save(file);
      assertThat(file).exists();
      try (java.util.stream.Stream<Path> s = list(dir)) {
        assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
      }
      try (JointModel loaded = JointModel.load(file)) {
        assertThat(loaded.config()).isEqualTo(model.config());
        for (String id : model.itemIds()) {
          assertThat(loaded.itemVector(id)).containsExactly(model.itemVector(id));
        }
        var history = DS.interactions().subList(0, 5);
        JointModel.UserVector u1 = model.userVector("u-0", history, DS.users().get("u-0"));
        JointModel.UserVector u2 = loaded.userVector("u-0", history, DS.users().get("u-0"));
        assertThat(u2.vector()).containsExactly(u1.vector());
        assertThat(u2.attention()).containsExactly(u1.attention());
        assertThat(u2.history()).isEqualTo(u1.history());
        ItemFeatures f = new ItemFeatures("NEW", new float[8], null, Map.of("category", "ring"));
        assertThat(loaded.itemVectorFromContent(f)).containsExactly(model.itemVectorFromContent(f));
        assertThat(loaded.predictedPreferences(u1.vector())).isEqualTo(model.predictedPreferences(u1.vector()));
        assertThat(loaded.score(u1.vector(), "I-3")).isCloseTo(model.score(u1.vector(), "I-3"), within(1e-9));
      }
    }
  }

  /**
   * A checkpoint from before the profile-taste, session and item-bias-step options: its header lacks
   * those keys, and its network has the profile map, no session weights and an unscaled item bias, as
   * those models were built.
   */
  @Test
  void checkpointsWrittenBeforeTheProfileSessionAndBiasStepOptionsStillLoad() throws Exception {
    JointModelConfig old = Synthetic.tinyConfig().epochs(1).dim(32).profileTaste(true).sessionGapSeconds(0)
        .itemBiasStep(1f).collaborativeDim(0).itemToItem(false).build();
    try (JointModel model = new JointTrainer(old).train(DS, SPLIT)) {
      assertThat(model.network().tasteDim()).isPositive();
      Path file = dir.resolve("old.ckpt");
      model.save(file);
      byte[] all = java.nio.file.Files.readAllBytes(file);
      java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(all);
      in.position(8); // magic
      byte[] h = new byte[in.getInt()];
      in.get(h);
      var json = new com.fasterxml.jackson.databind.ObjectMapper();
      @SuppressWarnings("unchecked")
      Map<String, Object> header = json.readValue(h, Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> cfg = (Map<String, Object>) header.get("config");
      assertThat(cfg.remove("profileTaste")).isEqualTo(true);
      assertThat(cfg.remove("sessionGapSeconds")).isEqualTo(0);
      assertThat(cfg.remove("itemBiasStep")).isEqualTo(1.0);
      assertThat(cfg.remove("collaborativeDim")).isEqualTo(0);
      assertThat(cfg.remove("itemToItem")).isEqualTo(false);
      byte[] stripped = json.writeValueAsBytes(header);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      out.write(all, 0, 8);
      out.write(java.nio.ByteBuffer.allocate(4).putInt(stripped.length).array());
      out.write(stripped);
      out.write(all, in.position(), all.length - in.position());
      java.nio.file.Files.write(file, out.toByteArray());
      try (JointModel loaded = JointModel.load(file)) {
        assertThat(loaded.config()).isEqualTo(old);
        var history = DS.interactions().subList(0, 5);
        assertThat(loaded.userVector("u-0", history, DS.users().get("u-0")).vector())
            .containsExactly(model.userVector("u-0", history, DS.users().get("u-0")).vector());
      }
    }
  }

  @Test
  void collaborativeBlocksAreSavedAndServedWithTheirWeights() {
    try (JointModel model = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(DS, SPLIT)) {
      assertThat(model.collaborative()).isNotNull();
      assertThat(model.itemToItem()).isNotNull();
      assertThat(model.collaborative().weight()).isNotNegative().isFinite();
      assertThat(model.itemToItem().weight()).isNotNegative().isFinite();
      model.collaborative().weight(1.5f);
      model.itemToItem().weight(0.5f);
      var history = DS.interactions().stream().filter(e -> e.user().equals("u-1")).toList();
      JointModel.UserVector u = model.userVector("u-1", history, DS.users().get("u-1"));
      int d = model.config().dim();
      float[] towersItem = model.itemVectorTable()[model.schema().item("I-2")];
      double towers = 0;
      for (int c = 0; c < d; c++) {
        towers += u.vector()[c] * towersItem[c];
      }
      double graph = 1.5 * model.collaborative().rawScore(model.schema().user("u-1"), model.schema().item("I-2"));
      assertThat(model.score(u.vector(), "I-2")).isCloseTo(towers + graph, within(1e-4));
      double rerank = model.rerankTerm(history).applyAsDouble("I-2");
      Path file = dir.resolve("blocks.ckpt");
      model.save(file);
      try (JointModel loaded = JointModel.load(file)) {
        assertThat(loaded.collaborative().weight()).isEqualTo(1.5f);
        assertThat(loaded.itemToItem().weight()).isEqualTo(0.5f);
        assertThat(loaded.itemVector("I-2")).containsExactly(model.itemVector("I-2"));
        assertThat(loaded.userVector("u-1", history, DS.users().get("u-1")).vector()).containsExactly(u.vector());
        assertThat(loaded.rerankTerm(history).applyAsDouble("I-2")).isEqualTo(rerank);
        assertThat(JointInference.of(loaded).userVector("u-1", history, DS.users().get("u-1")).vector())
            .hasSize(loaded.dim());
      }
    }
  }

  @Test
  void blockWeightsAreRelativeToTheTowersSpread() {
    float[][] towers = {{1, 3, 5}, {2, 2, 8}};
    float[][] block = {{0.01f, 0.03f, 0.05f}, {0.02f, 0.02f, 0.08f}};
    assertThat(JointTrainer.relativeUnit(towers, block)).isCloseTo(100f, within(1e-3f));
    assertThat(JointTrainer.relativeUnit(towers, new float[][] {{4, 4, 4}, {1, 1, 1}})).as("a constant block").isEqualTo(1f);
  }

  @Test
  void resumesFromTheLastCheckpoint() {
    List<Integer> firstRun = new ArrayList<>();
    List<Integer> secondRun = new ArrayList<>();
    Path ck = dir.resolve("ck");
    JointModelConfig two = Synthetic.tinyConfig().epochs(2).patience(10).build();
    try (JointModel m = new JointTrainer(two).checkpointDir(ck, true).listener(epochs(firstRun)).train(DS, SPLIT)) {
      assertThat(m.dim()).as("towers 16 + collaborative block 64").isEqualTo(16 + 64);
    }
    assertThat(firstRun).containsExactly(0, 1);
    assertThat(ck.resolve("last.ckpt")).exists();
    assertThat(JointModelCheckpoint.read(ck.resolve("last.ckpt"))).satisfies(c -> {
      assertThat(c.epoch()).isEqualTo(1);
      c.model().close();
    });
    JointModelConfig four = two.toBuilder().epochs(4).build();
    try (JointModel m = new JointTrainer(four).checkpointDir(ck, true).listener(epochs(secondRun)).train(DS, SPLIT)) {
      assertThat(m.allItemVectors()).hasSize(32);
    }
    assertThat(secondRun).containsExactly(2, 3);
    JointModelCheckpoint last = JointModelCheckpoint.read(ck.resolve("last.ckpt"));
    assertThat(last.epoch()).isEqualTo(3);
    last.model().close();
  }

  @Test
  void aRunThatStoppedEarlyIsNotContinuedByTheSameJob() {
    Path ck = dir.resolve("ck");
    // A learning rate this small leaves validation NDCG flat, so patience 1 stops after epoch 1.
    JointModelConfig cfg = Synthetic.tinyConfig().epochs(10).patience(1).learningRate(1e-9f).build();
    List<Integer> first = new ArrayList<>();
    List<Integer> second = new ArrayList<>();
    List<String> phases = new ArrayList<>();
    try (JointModel a = new JointTrainer(cfg).checkpointDir(ck, true).listener(epochs(first)).train(DS, SPLIT);
        JointModel b = new JointTrainer(cfg).checkpointDir(ck, true).listener(epochsAndPhases(second, phases))
            .train(DS, SPLIT)) {
      assertThat(first).containsExactly(0, 1);
      assertThat(second).as("the finished run is not trained further").isEmpty();
      assertThat(phases).anySatisfy(p -> assertThat(p).startsWith("resuming after epoch 2").contains("had finished"));
      for (String id : a.itemIds()) {
        assertThat(b.itemVector(id)).containsExactly(a.itemVector(id));
      }
    }
  }

  @Test
  void checkpointsOfAnotherJobAreNotResumed() {
    Path ck = dir.resolve("ck");
    JointModelConfig two = Synthetic.tinyConfig().epochs(2).patience(10).build();
    try (JointModel m = new JointTrainer(two).checkpointDir(ck, true).train(DS, SPLIT)) {
      assertThat(ck.resolve("last.ckpt")).exists();
    }
    // The same catalog and behaviour seen through a retrained image encoder: every image vector moved.
    List<ItemFeatures> reencoded = new ArrayList<>();
    for (ItemFeatures f : DS.items()) {
      float[] image = f.image() == null ? null : f.image().clone();
      if (image != null) {
        image[0] += 0.5f;
      }
      reencoded.add(new ItemFeatures(f.id(), image, f.text(), f.attributes()));
    }
    RecDataset newVectors = new RecDataset(reencoded, DS.users(), DS.interactions(), DS.oracleRankings());
    // New behaviour on the old vectors: one more event at the end of the training part.
    List<Interaction> more = new ArrayList<>(DS.interactions());
    Interaction first = SPLIT.train().get(0);
    more.add(new Interaction(first.user(), first.item(), EventType.PURCHASE, first.ts().plusSeconds(1)));
    RecDataset newEvents = new RecDataset(DS.items(), DS.users(), more, DS.oracleRankings());
    for (RecDataset changed : List.of(newVectors, newEvents)) {
      List<Integer> epochs = new ArrayList<>();
      List<String> phases = new ArrayList<>();
      JointModelConfig four = two.toBuilder().epochs(4).build();
      try (JointModel m = new JointTrainer(four).checkpointDir(ck, true).listener(epochsAndPhases(epochs, phases))
          .train(changed, DataSplit.temporalLeaveLastOut(changed.interactions()))) {
        assertThat(m.allItemVectors()).hasSize(32);
      }
      assertThat(epochs).as("a fresh run, not epochs 2 and 3 of the old one").containsExactly(0, 1, 2, 3);
      assertThat(phases).anySatisfy(p -> assertThat(p).contains("starting afresh").contains(ck.toString()));
      // The new job's checkpoints are resumable by the new job itself.
      List<Integer> again = new ArrayList<>();
      try (JointModel m = new JointTrainer(four.toBuilder().epochs(5).build()).checkpointDir(ck, true)
          .listener(epochs(again)).train(changed, DataSplit.temporalLeaveLastOut(changed.interactions()))) {
        assertThat(again).containsExactly(4);
      }
    }
  }

  @Test
  void theTastePriorShrinksEachUsersOwnTaste() {
    double free = ownTasteNorm(0f);
    double shrunk = ownTasteNorm(20f);
    assertThat(free).isPositive();
    assertThat(shrunk).isLessThan(0.5 * free);
  }

  /**
   * The deep part is a residual on the taste + bias score: its loss term sees that score as a constant,
   * so the taste's gradient must not move when only the deep part's output does (it would through a
   * plain sum of scores), while the deep part still gets a gradient of its own.
   */
  @Test
  void theTasteFitDoesNotSeeTheDeepPart() {
    JointModelConfig cfg = Synthetic.tinyConfig().lambdaItem(0f).lambdaUser(0f).dropout(0f).userIdDropout(0f).build();
    float[][] base = gradients(cfg, 0f);
    float[][] shifted = gradients(cfg, 2f);
    assertThat(base[0]).as("taste gradient").isNotEqualTo(new float[base[0].length]);
    for (int i = 0; i < base[0].length; i++) {
      assertThat(shifted[0][i]).as("userTaste gradient[%d]", i).isCloseTo(base[0][i], within(1e-6f));
    }
    assertThat(base[1]).as("deep user output gradient").isNotEqualTo(new float[base[1].length]);
  }

  /** [0] = userTaste's gradient, [1] = the deep user output layer's weight gradient, for one batch. */
  private static float[][] gradients(JointModelConfig cfg, float deepShift) {
    Schema schema = Schema.of(DS);
    TrainingData data = new TrainingData(schema, DS, SPLIT.train());
    ai.djl.engine.Engine.getInstance().setRandomSeed(5);
    try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(ai.djl.Device.cpu())) {
      JointNetwork net = new JointNetwork(cfg, schema);
      net.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 1));
      assertThat(net.tasteDim()).isPositive();
      // the user output layer's bias only reaches the deep coordinates (taste and bias are laid over the rest)
      userOut(net).getParameters().get("bias").getArray().addi(deepShift);
      ai.djl.training.ParameterStore ps = new ai.djl.training.ParameterStore(manager, false);
      JointTrainer.SharedItems shared = JointTrainer.SharedItems.of(manager, schema, data, BatchLoader.exactCandidates(data, cfg));
      try (BatchLoader loader = new BatchLoader(data, cfg, 3, null);
          ai.djl.ndarray.NDManager bm = manager.newSubManager();
          ai.djl.training.GradientCollector gc = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
        gc.backward(JointTrainer.loss(bm, ps, net, cfg, schema, loader.next(), shared, true));
        return new float[][] {
          net.getDirectParameters().get("userTaste").getArray().getGradient().toFloatArray(),
          userOut(net).getParameters().get("weight").getArray().getGradient().toFloatArray()};
      } finally {
        if (shared != null) {
          shared.close();
        }
      }
    }
  }

  private static ai.djl.nn.Block userOut(JointNetwork net) {
    // DJL prefixes child names with their position
    return net.getChildren().stream().filter(c -> c.getKey().endsWith("userOut")).findFirst().orElseThrow().getValue();
  }

  private static double ownTasteNorm(float tasteL2) {
    JointModelConfig cfg = Synthetic.tinyConfig().epochs(3).patience(10).tasteL2(tasteL2).build();
    try (JointModel model = new JointTrainer(cfg).train(DS, SPLIT)) {
      assertThat(model.network().tasteDim()).isPositive();
      double sum = 0;
      for (float x : model.network().getDirectParameters().get("userTaste").getArray().toFloatArray()) {
        sum += (double) x * x;
      }
      return Math.sqrt(sum);
    }
  }

  @Test
  void everyLossTypeTrains() {
    for (LossType type : LossType.values()) {
      List<Float> epochLosses = new ArrayList<>();
      JointTrainer t = new JointTrainer(Synthetic.tinyConfig().loss(type).epochs(3).patience(5).build())
          .listener(new TrainingListener() {
            @Override
            public void onEpoch(String model, int epoch, float loss, double ndcg, boolean improved) {
              epochLosses.add(loss);
            }
          });
      try (JointModel m = t.train(DS, SPLIT)) {
        assertThat(epochLosses).as("%s epoch losses", type).hasSize(3).allMatch(Float::isFinite);
        assertThat(epochLosses.get(2)).as("%s loss of the last epoch against the first", type).isLessThan(epochLosses.get(0));
        assertThat(t.stats().samplesPerSecond()).isPositive();
        assertThat(t.stats().loaderWaitShare()).isBetween(0.0, 1.0);
      }
    }
  }

  @Test
  void theRawThroughputProbeIsOptInAndLeavesTheWeightsAsTrained() {
    JointTrainer plain = new JointTrainer(Synthetic.tinyConfig().epochs(1).build());
    JointTrainer probed = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).measureRawThroughput(true);
    try (JointModel a = plain.train(DS, SPLIT); JointModel b = probed.train(DS, SPLIT)) {
      assertThat(plain.stats().rawSamplesPerSecond()).isNaN();
      assertThat(probed.stats().rawSamplesPerSecond()).isPositive();
      for (String id : a.itemIds()) {
        assertThat(b.itemVector(id)).containsExactly(a.itemVector(id));
      }
      List<Interaction> history = DS.interactions().stream().filter(i -> i.user().equals("u-0")).toList();
      assertThat(b.userVector("u-0", history, DS.users().get("u-0")).vector())
          .containsExactly(a.userVector("u-0", history, DS.users().get("u-0")).vector());
    }
  }

  @Test
  void sampledSoftmaxWithHardNegativesTrainsAndIsDeterministic() {
    JointModelConfig cfg = Synthetic.tinyConfig().exactSoftmaxItems(0).hardNegatives(2).epochs(2).build();
    JointTrainer a = new JointTrainer(cfg);
    JointTrainer b = new JointTrainer(cfg);
    try (JointModel ma = a.train(DS, SPLIT); JointModel mb = b.train(DS, SPLIT)) {
      assertThat(a.stats().skippedSteps()).isZero();
      for (String id : ma.itemIds()) {
        assertThat(ma.itemVector(id)).containsExactly(mb.itemVector(id));
      }
    }
  }

  @Test
  void biasCoordinateIsOneInUserVectors() {
    try (JointModel m = new JointTrainer(Synthetic.tinyConfig().epochs(1).build()).train(DS, SPLIT);
        JointModel plain = new JointTrainer(Synthetic.tinyConfig().epochs(1).biasCoordinate(false).build())
            .train(DS, SPLIT)) {
      // the towers' last coordinate; the collaborative block's coordinates follow it
      float[] u = m.userVector("u-1", List.of(), null).vector();
      assertThat(u[m.config().dim() - 1]).isEqualTo(1f);
      float[] noBias = plain.userVector("u-1", List.of(), null).vector();
      assertThat(noBias[plain.config().dim() - 1]).isNotEqualTo(1f);
    }
  }

  private static TrainingListener epochsAndPhases(List<Integer> epochs, List<String> phases) {
    return new TrainingListener() {
      @Override
      public void onPhase(String model, String phase) {
        phases.add(phase);
      }

      @Override
      public void onEpoch(String model, int epoch, float loss, double ndcg, boolean improved) {
        epochs.add(epoch);
      }
    };
  }

  private static TrainingListener epochs(List<Integer> sink) {
    return new TrainingListener() {
      @Override
      public void onEpoch(String model, int epoch, float loss, double ndcg, boolean improved) {
        assertThat(Float.isFinite(loss)).isTrue();
        sink.add(epoch);
      }
    };
  }

  private static java.util.stream.Stream<Path> list(Path p) {
    try {
      return Files.list(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

}
