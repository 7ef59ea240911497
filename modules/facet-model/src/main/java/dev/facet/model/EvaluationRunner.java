package dev.facet.model;

import dev.facet.core.Figures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Trains the joint model, its ablations and the baselines on one split of a {@link RecDataset} and
 * scores them all the same way (full ranking over all items, the user's history excluded; which
 * history is the {@link EvalProtocol}'s). The entry point of {@code facet eval}.
 *
 * <p>Model names: {@code joint}, {@code popular}, {@code itemknn}, {@code bpr-mf}, {@code lightgcn}, {@code content},
 * {@code oracle} (only with oracle rankings), {@code joint-no-image}, {@code joint-no-text},
 * {@code joint-no-id}, {@code joint-no-aux}, {@code joint-towers-only} (without the collaborative blocks). An ablation that removes a modality the dataset does not
 * have is the joint model itself; it is then not retrained and the report notes the reuse.
 */
public final class EvaluationRunner {
  /** Every model name, in report order. */
  public static final List<String> ALL_MODELS = List.of("joint", "popular", "itemknn", "bpr-mf", "lightgcn", "content", "oracle",
      "joint-no-image", "joint-no-text", "joint-no-id", "joint-no-aux", "joint-towers-only");

  /**
   * Options of a run.
   *
   * @param split {@code temporal} (leave-last-out, the default) or {@code random} (80/10/10)
   * @param models models to run (subset of {@link #ALL_MODELS}); empty = all
   * @param joint joint-model configuration (its seed is replaced by {@code seed}; epochs by
   *     {@code epochs} when positive)
   * @param seed seed of every model and of the random split
   * @param epochs maximum joint-model epochs, 0 = keep the configuration's
   * @param threads intra-op threads for the DL engine (applies before the engine first loads)
   * @param checkpointDir where the joint model's checkpoints go (null = none)
   * @param listener progress
   */
  public record Options(String split, List<String> models, JointModelConfig joint, long seed, int epochs, int threads,
      Path checkpointDir, TrainingListener listener) {
    public Options {
      split = split == null ? "temporal" : split;
      if (!split.equals("temporal") && !split.equals("random")) {
        throw new IllegalArgumentException("split must be temporal or random, got " + split);
      }
      models = models == null || models.isEmpty() ? ALL_MODELS : List.copyOf(models);
      for (String m : models) {
        if (!ALL_MODELS.contains(m)) {
          throw new IllegalArgumentException("unknown model " + m + "; known: " + ALL_MODELS);
        }
      }
      joint = joint == null ? JointModelConfig.builder().build() : joint;
      listener = listener == null ? TrainingListener.NONE : listener;
      if (threads < 0 || epochs < 0) {
        throw new IllegalArgumentException("threads and epochs must be >= 0");
      }
    }

    /** Temporal split, all models, default joint configuration, seed 42. */
    public static Options defaults() {
      return new Options("temporal", List.of(), null, 42L, 0, 0, null, null);
    }

    public Options withModels(List<String> value) {
      return new Options(split, value, joint, seed, epochs, threads, checkpointDir, listener);
    }

    public Options withJoint(JointModelConfig value) {
      return new Options(split, models, value, seed, epochs, threads, checkpointDir, listener);
    }

    public Options withSeed(long value) {
      return new Options(split, models, joint, value, epochs, threads, checkpointDir, listener);
    }

    public Options withEpochs(int value) {
      return new Options(split, models, joint, seed, value, threads, checkpointDir, listener);
    }

    public Options withThreads(int value) {
      return new Options(split, models, joint, seed, epochs, value, checkpointDir, listener);
    }

    public Options withSplit(String value) {
      return new Options(value, models, joint, seed, epochs, threads, checkpointDir, listener);
    }

    public Options withListener(TrainingListener value) {
      return new Options(split, models, joint, seed, epochs, threads, checkpointDir, value);
    }

    public Options withCheckpointDir(Path value) {
      return new Options(split, models, joint, seed, epochs, threads, value, listener);
    }
  }

  private final Options options;
  /** The joint model's item-id mode chosen on validation in this run (null before "joint" ran). */
  private Boolean idBiasOnly;
  /** Collaborative blocks already trained in this run, by the options they were built for. */
  private final Map<String, CollaborativeParts> partsCache = new java.util.HashMap<>();
  /**
   * LightGCN runs of this run by settings: the joint model's collaborative block and the lightgcn baseline
   * share the run that has the same settings (the same computation, seed included).
   */
  private final Map<LightGcn.Settings, LightGcn> lightGcnCache = new java.util.HashMap<>();
  /** This run's training data, evaluator and validation users (set by {@link #run(RecDataset, DataSplit)}). */
  private TrainingData runData;
  private Evaluator runEvaluator;
  private List<EvalUser> runValUsers;

  /** A runner with these options. */
  public EvaluationRunner(Options options) {
    this.options = Objects.requireNonNull(options, "options");
    if (options.threads() > 0) {
      System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(options.threads()));
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
    }
  }

  /** Splits as configured, runs, and writes {@code json} plus {@code .md} and {@code .png} beside it. */
  public EvaluationReport run(RecDataset dataset, Path json) {
    DataSplit split = split(dataset);
    return run(dataset, split, EvalProtocol.defaultFor(split), json);
  }

  /**
   * Runs on a split made by the caller (a dataset's own, see {@link RecBoleDatasetReader#split}) under
   * {@code protocol}, and writes {@code json} plus {@code .md} and {@code .png} beside it unless null.
   */
  public EvaluationReport run(RecDataset dataset, DataSplit split, EvalProtocol protocol, Path json) {
    EvaluationReport report = run(dataset, split, protocol);
    if (json != null) {
      report.write(json);
    }
    return report;
  }

  /** The configured split of the dataset. */
  public DataSplit split(RecDataset dataset) {
    return DataSplit.of(options.split(), dataset.interactions(), options.seed());
  }

  /** Runs every selected model on the given split under its default protocol (no files written). */
  public EvaluationReport run(RecDataset dataset, DataSplit split) {
    return run(dataset, split, EvalProtocol.defaultFor(split));
  }

  /** Runs every selected model on the given split under {@code protocol} (no files written). */
  public EvaluationReport run(RecDataset dataset, DataSplit split, EvalProtocol protocol) {
    Schema schema = Schema.of(dataset);
    TrainingData data = new TrainingData(schema, dataset, split.train());
    List<EvalUser> valUsers = EvalUser.of(schema, data.sequences, split.valid());
    partsCache.clear();
    lightGcnCache.clear();
    runData = data;
    runValUsers = valUsers;
    List<EvalUser> testUsers = EvalUser.of(schema, protocol.testHistories(schema, data.sequences, split), split.test());
    Evaluator evaluator = new Evaluator(schema, data.trained);
    runEvaluator = evaluator;
    Map<String, Map<String, Double>> results = new LinkedHashMap<>();
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("test_users", testUsers.size());
    training.put("items", schema.numItems());
    training.put("train_interactions", split.train().size());
    List<String> notes = new ArrayList<>();
    Run run = new Run(dataset, split, data, valUsers, testUsers, evaluator, results, training, notes);
    TrainingListener listener = options.listener();
    for (String name : ALL_MODELS) {
      if (!options.models().contains(name) || (name.equals("oracle") && dataset.oracleRankings().isEmpty())) {
        continue;
      }
      listener.onPhase(name, "train");
      long t0 = System.nanoTime();
      Map<String, Double> metrics = evaluateModel(name, run);
      if (metrics == null) {
        continue;
      }
      results.put(name, metrics);
      training.put(name + "_seconds", round((System.nanoTime() - t0) / 1e9));
      listener.onPhase(name, "done");
    }
    compareJoint(results, training);
    if (!notes.isEmpty()) {
      training.put("notes", notes);
    }
    return new EvaluationReport(split.name(), protocol, results, training);
  }

  /** What one {@link #run} call evaluates on, and where its results and notes go. */
  private record Run(RecDataset dataset, DataSplit split, TrainingData data, List<EvalUser> valUsers,
      List<EvalUser> testUsers, Evaluator evaluator, Map<String, Map<String, Double>> results,
      Map<String, Object> training, List<String> notes) {}

  /** Test metrics of one model, or null when the dataset cannot feed it (noted in the report). */
  private Map<String, Double> evaluateModel(String name, Run run) {
    Evaluator evaluator = run.evaluator();
    TrainingData data = run.data();
    List<EvalUser> testUsers = run.testUsers();
    switch (name) {
      case "popular" -> { return evaluator.evaluate(new PopularBaseline(data), testUsers); }
      case "itemknn" -> { return evaluator.evaluate(itemKnn(data, evaluator, run.valUsers(), run.training()), testUsers); }
      case "bpr-mf" -> { return evaluator.evaluate(bprMf(data, evaluator, run.valUsers(), run.training()), testUsers); }
      case "lightgcn" -> { return evaluator.evaluate(lightGcn(run.training()), testUsers); }
      case "content" -> { return evaluator.evaluate(new ContentBaseline(data), testUsers); }
      case "oracle" -> { return evaluator.evaluate(new OracleRanker(data, run.dataset().oracleRankings()), testUsers); }
      default -> { return evaluateJointVariant(name, run); }
    }
  }

  private Map<String, Double> evaluateJointVariant(String name, Run run) {
    JointModelConfig cfg = ablation(name);
    String same = sameAsJoint(name, run.dataset());
    // joint itself falls back to id embeddings when bias-only ids would leave it without input
    if (!JointNetwork.hasItemInput(name.equals("joint") ? cfg.toBuilder().idBiasOnly(false).build() : cfg, run.data().schema)) {
      // e.g. joint-no-id on an interaction-only dataset: nothing would be left to describe an item
      run.notes().add(name + ": not run, the dataset has no item content and the variant no item ids");
      options.listener().onPhase(name, "skipped");
      return null;
    }
    if (same != null && run.results().containsKey("joint")) {
      run.notes().add(name + ": " + same + ", identical to joint (not retrained)");
      return run.results().get("joint");
    }
    return trainJoint(name, cfg, run.dataset(), run.split(), run.data(), run.testUsers(), run.evaluator(), run.training());
  }

  /** The joint model's recall against the oracle's and its cold-item recall against its warm-item recall. */
  private static void compareJoint(Map<String, Map<String, Double>> results, Map<String, Object> training) {
    Map<String, Double> joint = results.get("joint");
    if (joint == null) {
      return;
    }
    if (results.containsKey("oracle") && results.get("oracle").get("recall@20") > 0) {
      training.put("joint_to_oracle_recall@20", round(joint.get("recall@20") / results.get("oracle").get("recall@20")));
    }
    double cold = joint.get("cold_recall@20");
    double warm = joint.get("warm_recall@20");
    if (!Double.isNaN(cold) && warm > 0) {
      training.put("joint_cold_to_warm_recall@20", round(cold / warm));
    }
  }

  private Map<String, Double> trainJoint(String name, JointModelConfig cfg, RecDataset dataset, DataSplit split,
      TrainingData data, List<EvalUser> testUsers, Evaluator evaluator, Map<String, Object> training) {
    if (name.equals("joint") && cfg.useId() && !JointNetwork.hasItemInput(cfg.toBuilder().idBiasOnly(true).build(), data.schema)) {
      // an interaction-only dataset (e.g. an MMRec .inter without features): bias-only ids would leave
      // the item tower without input, so the id embeddings are the only choice
      JointModelConfig embedding = cfg.toBuilder().idBiasOnly(false).build();
      idBiasOnly = false;
      training.put("joint_item_ids", "embedding + bias (no item content)");
      try (Trained t = trainOne(name, embedding, dataset, split)) {
        return report(name, t, data, testUsers, evaluator, training);
      }
    }
    if (name.equals("joint") && cfg.useId()) {
      // Per-item id embeddings help where identity carries signal beyond content (ml-100k) and overfit
      // where content explains behaviour (the generated catalog): train both, keep the better one on
      // the validation split (never the test split), and let the ablations inherit the choice.
      JointModelConfig other = cfg.toBuilder().idBiasOnly(!cfg.idBiasOnly()).build();
      try (Trained a = trainOne(name, cfg, dataset, split); Trained b = trainOne(name, other, dataset, split)) {
        Trained best = b.stats.servedValidationNdcg10() > a.stats.servedValidationNdcg10() ? b : a;
        idBiasOnly = best.model.config().idBiasOnly();
        training.put("joint_item_ids", idBiasOnly ? "bias only" : "embedding + bias");
        training.put("joint_validation_ndcg@10_" + (cfg.idBiasOnly() ? "bias_only" : "embedding"),
            round(a.stats.servedValidationNdcg10()));
        training.put("joint_validation_ndcg@10_" + (other.idBiasOnly() ? "bias_only" : "embedding"),
            round(b.stats.servedValidationNdcg10()));
        return report(name, best, data, testUsers, evaluator, training);
      }
    }
    try (Trained t = trainOne(name, cfg, dataset, split)) {
      return report(name, t, data, testUsers, evaluator, training);
    }
  }

  /** A trained joint model and its training statistics. */
  private record Trained(JointModel model, JointTrainer.TrainingStats stats) implements AutoCloseable {
    @Override
    public void close() {
      model.close();
    }
  }

  private Trained trainOne(String name, JointModelConfig cfg, RecDataset dataset, DataSplit split) {
    JointTrainer trainer = new JointTrainer(cfg).name(name).listener(options.listener())
        .collaborativeParts(partsFor(name, cfg)).measureRawThroughput(name.equals("joint"));
    if (options.checkpointDir() != null && name.equals("joint")) {
      trainer.checkpointDir(options.checkpointDir().resolve(cfg.idBiasOnly() ? "bias-only" : "embedding"), false);
    }
    JointModel model = trainer.train(dataset, split);
    return new Trained(model, trainer.stats());
  }

  /**
   * The collaborative blocks for a configuration, trained on the first request and shared by every tower
   * variant of this run that asks for the same blocks (they never depend on the towers).
   */
  private CollaborativeParts partsFor(String name, JointModelConfig cfg) {
    if (!cfg.collaborative() && !cfg.usesItemToItem()) {
      return null;
    }
    String key = cfg.collaborative() + "/" + cfg.collaborativeDim() + "/" + cfg.usesItemToItem();
    return partsCache.computeIfAbsent(key, k -> {
      options.listener().onPhase(name, "collaborative blocks (graph-propagated embeddings, item-to-item weights)");
      return CollaborativeParts.train(cfg, runData, runEvaluator, runValUsers, this::lightGcnRun);
    });
  }

  private Map<String, Double> report(String name, Trained t, TrainingData data, List<EvalUser> testUsers,
      Evaluator evaluator, Map<String, Object> training) {
    JointTrainer.TrainingStats st = t.stats();
    if (name.equals("joint")) {
      training.put("joint_epochs", st.epochs());
      training.put("joint_best_epoch", st.bestEpoch());
      training.put("joint_validation_ndcg@10", round(st.servedValidationNdcg10()));
      training.put("joint_towers_validation_ndcg@10", round(st.bestValidationNdcg10()));
      training.put("joint_train_seconds", round(st.trainSeconds()));
      training.put("joint_examples_per_epoch", st.examplesPerEpoch());
      training.put("joint_samples_per_second", round(st.samplesPerSecond()));
      training.put("joint_raw_samples_per_second", round(st.rawSamplesPerSecond()));
      training.put("joint_loader_wait_share", round(st.loaderWaitShare()));
      training.put("joint_skipped_steps", st.skippedSteps());
      CollaborativeBlock graph = t.model().collaborative();
      ItemToItemBlock i2i = t.model().itemToItem();
      training.put("joint_graph_block_weight", graph == null ? "none" : graph.weight());
      training.put("joint_item_to_item_weight", i2i == null ? "none" : i2i.weight());
      training.put("joint_item_to_item_lambda", i2i == null ? "none" : round(i2i.lambda()));
      training.put("joint_user_deep_part", t.model().network().tasteDim() == 0 ? "whole score"
          : t.model().network().deepPartScores() ? "residual kept (validation)" : "dropped (validation: taste + bias only)");
      training.put("joint_pipeline_to_raw_ratio",
          round(st.rawSamplesPerSecond() > 0 ? st.samplesPerSecond() / st.rawSamplesPerSecond() : 0));
    } else {
      training.put(name + "_best_epoch", st.bestEpoch());
    }
    return evaluator.evaluate(users -> t.model().scoreUsers(users, data.profile), testUsers);
  }

  /** ItemKNN with its neighbourhood size chosen on validation. */
  private static Scorer itemKnn(TrainingData data, Evaluator evaluator, List<EvalUser> valUsers,
      Map<String, Object> training) {
    int bestK = 0;
    double best = -1;
    for (int k : new int[] {20, 50, 100, 200, 400}) {
      double v = evaluator.evaluate(new ItemKnnBaseline(data, k), valUsers).get("ndcg@10");
      if (v > best) {
        best = v;
        bestK = k;
      }
    }
    training.put("itemknn_k", bestK);
    return new ItemKnnBaseline(data, bestK);
  }

  /** BPR-MF with its regularization chosen on validation (epochs by early stopping). */
  private Scorer bprMf(TrainingData data, Evaluator evaluator, List<EvalUser> valUsers, Map<String, Object> training) {
    BprMfBaseline bestModel = null;
    double best = -1;
    String chosen = "";
    for (float reg : new float[] {0.001f, 0.01f}) {
      BprMfBaseline m = new BprMfBaseline(data, 64, 0.05f, reg, 200, options.seed(), evaluator, valUsers);
      double v = evaluator.evaluate(m, valUsers).get("ndcg@10");
      if (v > best) {
        best = v;
        bestModel = m;
        chosen = "dim=64 lr=0.05 reg=" + reg + " epochs=" + m.bestEpoch();
      }
    }
    training.put("bpr-mf", chosen);
    return bestModel;
  }

  /**
   * LightGCN as published (BPR, 3 layers, 64 dims), its L2 weight chosen on validation (epochs by early
   * stopping), trained on this run's data through {@link #lightGcnRun}.
   */
  private Scorer lightGcn(Map<String, Object> training) {
    LightGcn bestModel = null;
    for (float l2 : new float[] {1e-4f, 1e-3f}) {
      LightGcn m = lightGcnRun(LightGcn.Settings.defaults(options.seed()).withL2(l2));
      if (bestModel == null || m.bestValidationNdcg10() > bestModel.bestValidationNdcg10()) {
        bestModel = m;
      }
    }
    LightGcn.Settings s = bestModel.settings();
    training.put("lightgcn", "dim=" + s.dim() + " layers=" + s.layers() + " lr=" + s.learningRate() + " l2=" + s.l2()
        + " epochs=" + bestModel.bestEpoch());
    return bestModel;
  }

  private LightGcn lightGcnRun(LightGcn.Settings settings) {
    return lightGcnCache.computeIfAbsent(settings, s -> new LightGcn(runData, s, runEvaluator, runValUsers));
  }

  private JointModelConfig ablation(String name) {
    JointModelConfig.Builder b = options.joint().toBuilder().seed(options.seed());
    if (idBiasOnly != null) {
      b.idBiasOnly(idBiasOnly);
    }
    if (options.epochs() > 0) {
      b.epochs(options.epochs());
    }
    switch (name) {
      case "joint-no-image" -> b.useImage(false);
      case "joint-no-text" -> b.useText(false);
      case "joint-no-id" -> b.useId(false);
      case "joint-no-aux" -> b.lambdaItem(0f).lambdaUser(0f);
      case "joint-towers-only" -> b.collaborativeDim(0).itemToItem(false);
      default -> { }
    }
    return b.build();
  }

  /** Why an ablation equals the joint model on this dataset, or null when it does not. */
  private String sameAsJoint(String name, RecDataset ds) {
    JointModelConfig j = options.joint();
    return switch (name) {
      case "joint-no-image" -> ds.imageDim() == 0 || !j.useImage() ? "the dataset has no image vectors" : null;
      case "joint-no-text" -> ds.textDim() == 0 || !j.useText() ? "the dataset has no text vectors" : null;
      case "joint-no-id" -> !j.useId() ? "joint already has no ids" : null;
      case "joint-towers-only" -> !j.collaborative() && !j.usesItemToItem() ? "joint already has no collaborative blocks" : null;
      default -> null;
    };
  }

  private static double round(double v) {
    return Figures.round(v, 4);
  }
}
