package dev.facet.model;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import dev.facet.core.FacetException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Trains the joint model: explicit loop over batches prepared by {@link BatchLoader} on a worker
 * thread (the next epoch's loader starts while validation runs), Adam with warm-up + cosine decay,
 * weight decay, global gradient-norm clipping, early stopping on validation NDCG@10 (full ranking),
 * an atomic checkpoint after every epoch and resume from the last one (only by the job that wrote it,
 * see {@link TrainingJobDigest}; a run that had stopped early stays stopped). On catalogs of at most
 * {@link JointModelConfig#exactSoftmaxItems()} trained items the softmax loss is exact (every trained
 * item a candidate, the example's history masked out); larger ones sample negatives with log-Q.
 * Everything random derives from the configured seed, so the same seed gives the same model on CPU,
 * within one process and across processes (both tested bit for bit; batch content never depends on
 * thread timing). Steps whose loss or gradient is not finite are skipped and counted in
 * {@link TrainingStats#skippedSteps()}.
 */
public final class JointTrainer {
  private static final int HARD_POOL = 20;

  private final JointModelConfig cfg;
  private String name = "joint";
  private TrainingListener listener = TrainingListener.NONE;
  private Path checkpointDir;
  private boolean resume;
  private HardNegativeSource hardSource;
  private TrainingStats stats;
  private int skippedSteps;
  private SharedItems shared;
  private CollaborativeParts parts;
  private boolean measureRaw;

  /** A trainer for this configuration. */
  public JointTrainer(JointModelConfig cfg) {
    this.cfg = java.util.Objects.requireNonNull(cfg, "cfg");
  }

  /** Name reported to the listener. */
  public JointTrainer name(String value) {
    name = value;
    return this;
  }

  /** Progress listener. */
  public JointTrainer listener(TrainingListener value) {
    listener = value == null ? TrainingListener.NONE : value;
    return this;
  }

  /** Directory for {@code last.ckpt} / {@code best.ckpt} (null = no checkpoints). */
  public JointTrainer checkpointDir(Path value, boolean resumeFromLast) {
    checkpointDir = value;
    resume = resumeFromLast;
    return this;
  }

  /** Hard-negative source (e.g. Lucene neighbours); default: the model's own item vectors. */
  public JointTrainer hardNegatives(HardNegativeSource value) {
    hardSource = value;
    return this;
  }

  /** Statistics of the last {@link #train} call, or null. */
  public TrainingStats stats() {
    return stats;
  }

  /**
   * Measured training cost.
   *
   * @param epochs epochs run (this call)
   * @param bestEpoch epoch of the returned parameters (0-based)
   * @param bestValidationNdcg10 validation NDCG@10 of the returned parameters
   * @param trainSeconds time in the training loop (excluding validation)
   * @param samplesPerSecond training examples per second through the full pipeline (loader, hard
   *     negatives, step, progress), the median over the epochs after the first: the first epoch also
   *     pays the native warm-up, which the raw figure excludes, so both figures are steady-state
   * @param rawSamplesPerSecond forward+backward+update on pre-made batches, the median of several rounds; NaN
   *     unless {@link #measureRawThroughput} asked for it
   * @param loaderWaitShare share of an epoch's training-loop time spent waiting for the next batch (median
   *     over the same epochs as {@code samplesPerSecond}): the data pipeline's cost measured inside the
   *     run, so it does not depend on how busy the machine was when the raw figure was taken
   * @param examplesPerEpoch training examples per epoch
   * @param skippedSteps steps skipped because the loss or gradient was not finite
   * @param servedValidationNdcg10 validation NDCG@10 of the returned model as served: the towers with the
   *     collaborative blocks at their chosen weights (equal to {@code bestValidationNdcg10} without blocks)
   */
  public record TrainingStats(int epochs, int bestEpoch, double bestValidationNdcg10, double trainSeconds,
      double samplesPerSecond, double rawSamplesPerSecond, double loaderWaitShare, int examplesPerEpoch,
      int skippedSteps, double servedValidationNdcg10) {
    TrainingStats withServedValidation(double value) {
      return new TrainingStats(epochs, bestEpoch, bestValidationNdcg10, trainSeconds, samplesPerSecond,
          rawSamplesPerSecond, loaderWaitShare, examplesPerEpoch, skippedSteps, value);
    }
  }

  /** Trains on {@code split.train()}, early-stops on {@code split.valid()}; returns the best model. */
  public JointModel train(RecDataset ds, DataSplit split) {
    skippedSteps = 0;
    Schema schema = Schema.of(ds);
    TrainingData data = new TrainingData(schema, ds, split.train());
    if (data.numExamples() < 2) {
      throw new FacetException("joint model: fewer than 2 training examples");
    }
    List<EvalUser> valUsers = EvalUser.of(schema, data.sequences, split.valid());
    Evaluator evaluator = new Evaluator(schema, data.trained);
    CollaborativeParts blocks = collaborative(data, evaluator, valUsers);
    Engine.getInstance().setRandomSeed((int) cfg.seed());
    NDManager manager = NDManager.newBaseManager(Devices.resolve(cfg.device()));
    boolean ok = false;
    try (TrainingThread thread = TrainingThread.prepare()) {
      Run run = new Run(manager, schema, data, evaluator, valUsers, blocks);
      run.resume(ds, split);
      run.epochs();
      JointModel model = run.finish();
      ok = true;
      return model;
    } finally {
      if (shared != null) {
        shared.close();
        shared = null;
      }
      if (!ok) {
        manager.close();
      }
    }
  }

  /**
   * Also measures {@link TrainingStats#rawSamplesPerSecond} after training (about 100 extra Adam steps
   * on a copy of the weights, restored afterwards); off by default, so {@code facet train} pays nothing
   * for a figure only evaluations report.
   */
  public JointTrainer measureRawThroughput(boolean value) {
    measureRaw = value;
    return this;
  }

  /** Mean loss, examples, loader wait and duration of one epoch's pass over the training batches. */
  private record EpochPass(double meanLoss, long samples, long waitNanos, long nanos) {}

  /** The state of one {@link #train} call, step by step: resume, epochs (train, validate, checkpoint), finish. */
  private final class Run {
    private final NDManager manager;
    private final Schema schema;
    private final TrainingData data;
    private final Evaluator evaluator;
    private final List<EvalUser> valUsers;
    private final CollaborativeParts blocks;
    private final JointNetwork net;
    private final ParameterStore ps;
    private final int stepsPerEpoch;
    private final int totalSteps;
    private final List<Double> epochRates = new ArrayList<>();
    private final List<Double> epochWaitShares = new ArrayList<>();
    private Optimizer adam;
    private int startEpoch;
    private double best = Double.NEGATIVE_INFINITY;
    private int bestEpoch = -1;
    private byte[] bestParams;
    private int sinceBest;
    private int epochsRun;
    private double trainNanos;
    private float[][] itemVectors;
    private BatchLoader prefetched;

    Run(NDManager manager, Schema schema, TrainingData data, Evaluator evaluator, List<EvalUser> valUsers,
        CollaborativeParts blocks) {
      this.manager = manager;
      this.schema = schema;
      this.data = data;
      this.evaluator = evaluator;
      this.valUsers = valUsers;
      this.blocks = blocks;
      net = new JointNetwork(cfg, schema);
      net.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
      net.initItemBias(logPopularity(data.counts));
      ps = new ParameterStore(manager, false);
      shared = SharedItems.of(manager, schema, data, BatchLoader.exactCandidates(data, cfg));
      stepsPerEpoch = Math.max(1, data.numExamples() / cfg.batchSize() + (data.numExamples() % cfg.batchSize() >= 2 ? 1 : 0));
      totalSteps = stepsPerEpoch * cfg.epochs();
    }

    /** Continues from {@code last.ckpt} when this job wrote it; then builds the optimizer at that step. */
    void resume(RecDataset ds, DataSplit split) {
      if (checkpointDir != null && resumable(ds, split)) {
        JointModelCheckpoint.loadParametersInto(checkpointDir.resolve("last.ckpt"), net, manager);
        JointModelCheckpoint last = peek(checkpointDir.resolve("last.ckpt"));
        startEpoch = last.epoch() + 1;
        if (Files.exists(checkpointDir.resolve("best.ckpt"))) {
          JointModelCheckpoint b = peek(checkpointDir.resolve("best.ckpt"));
          best = b.bestValidationNdcg();
          bestEpoch = b.epoch();
          bestParams = paramsOf(checkpointDir.resolve("best.ckpt"));
        }
      }
      adam = Optimizer.adam()
          .optLearningRateTracker(new WarmupCosine(cfg.learningRate(), (int) (cfg.warmupFraction() * totalSteps),
              totalSteps, startEpoch * stepsPerEpoch))
          .optWeightDecays(cfg.weightDecay())
          .build();
      // A resumed run keeps its patience count: one that had already stopped early stays stopped.
      sinceBest = startEpoch > 0 && bestEpoch >= 0 ? startEpoch - 1 - bestEpoch : 0;
      if (startEpoch > 0) {
        listener.onPhase(name, "resuming after epoch " + startEpoch + " from " + checkpointDir.resolve("last.ckpt")
            + (bestEpoch >= 0 && (sinceBest >= cfg.patience() || startEpoch >= cfg.epochs())
                ? ": that run had finished; its best epoch (" + (bestEpoch + 1) + ") is the model" : ""));
      }
    }

    /** Epochs until the configured count or until validation stopped improving for {@code patience} epochs. */
    void epochs() {
      itemVectors = allItemVectors(manager, ps, net, schema, data);
      try {
        for (int epoch = startEpoch; epoch < cfg.epochs() && sinceBest < cfg.patience(); epoch++) {
          epoch(epoch);
        }
      } finally {
        if (prefetched != null) {
          prefetched.close();
        }
      }
    }

    private void epoch(int epoch) {
      listener.onPhase(name, "train");
      Engine.getInstance().setRandomSeed((int) (cfg.seed() * 31 + epoch));
      EpochPass pass = trainPass(epoch);
      trainNanos += pass.nanos();
      epochRates.add(pass.nanos() > 0 ? pass.samples() * 1e9 / pass.nanos() : 0);
      epochWaitShares.add(pass.nanos() > 0 ? (double) pass.waitNanos() / pass.nanos() : 0);
      epochsRun++;
      itemVectors = allItemVectors(manager, ps, net, schema, data);
      if (epoch + 1 < cfg.epochs()) {
        // the next epoch's batches only depend on its seed (and hard negatives on these vectors):
        // its worker fills the queue while validation runs
        prefetched = loader(schema, data, itemVectors, epoch + 1);
      }
      JointModel view = new JointModel(cfg, schema, manager, net, itemVectors, data.trained, false, blocks.graph(), blocks.itemToItem());
      double ndcg = validate(view);
      boolean improved = ndcg > best;
      if (improved) {
        best = ndcg;
        bestEpoch = epoch;
        bestParams = saveParams(net);
        sinceBest = 0;
      } else {
        sinceBest++;
      }
      checkpoint(view, epoch, improved);
      listener.onEpoch(name, epoch, (float) pass.meanLoss(), ndcg, improved);
    }

    private EpochPass trainPass(int epoch) {
      double lossSum = 0;
      int steps = 0;
      long samples = 0;
      long waitNanos = 0;
      long t0 = System.nanoTime();
      BatchLoader current = prefetched != null ? prefetched : loader(schema, data, itemVectors, epoch);
      prefetched = null;
      try (BatchLoader loader = current) {
        while (loader.hasNext()) {
          long w0 = System.nanoTime();
          Batch b = loader.next();
          waitNanos += System.nanoTime() - w0;
          float loss = step(manager, ps, net, adam, schema, b);
          if (skippedSteps > 50) {
            throw new FacetException("joint model: " + skippedSteps + " steps with non-finite loss or gradient"
                + " (last loss " + loss + " at epoch " + epoch + "); lower the learning rate");
          }
          lossSum += Float.isFinite(loss) ? loss : 0;
          samples += b.size;
          listener.onStep(name, epoch, ++steps, loader.numBatches(), loss);
        }
      }
      return new EpochPass(lossSum / Math.max(1, steps), samples, waitNanos, System.nanoTime() - t0);
    }

    /** Validation NDCG@10; the user tower's deep part stays only where it beats the wide score alone. */
    private double validate(JointModel view) {
      java.util.function.DoubleSupplier validationNdcg = () -> valUsers.isEmpty() ? 0
          : evaluator.evaluate(users -> view.scoreUsers(users, data.profile), valUsers).get("ndcg@10");
      net.deepPartScores(true);
      double ndcg = validationNdcg.getAsDouble();
      if (net.tasteDim() > 0 && !valUsers.isEmpty()) {
        // the deep part is a residual on the wide (taste + bias) score: keep it only where it helps
        net.deepPartScores(false);
        double wideOnly = validationNdcg.getAsDouble();
        if (wideOnly >= ndcg) {
          ndcg = wideOnly;
        } else {
          net.deepPartScores(true);
        }
      }
      return ndcg;
    }

    private void checkpoint(JointModel view, int epoch, boolean improved) {
      if (checkpointDir != null) {
        JointModelCheckpoint.write(checkpointDir.resolve("last.ckpt"), view, epoch, best);
        if (improved) {
          JointModelCheckpoint.write(checkpointDir.resolve("best.ckpt"), view, epoch, best);
        }
      }
    }

    /** The best epoch's weights as the model, its statistics, and the collaborative blocks' weights. */
    JointModel finish() {
      if (bestParams != null) {
        loadParams(net, manager, bestParams);
      }
      itemVectors = allItemVectors(manager, ps, net, schema, data);
      double raw = measureRaw ? rawThroughputKeepingWeights() : Double.NaN;
      stats = new TrainingStats(epochsRun, bestEpoch, best, trainNanos / 1e9,
          median(steady(epochRates)), raw, median(steady(epochWaitShares)),
          data.numExamples(), skippedSteps, best);
      JointModel model = new JointModel(cfg, schema, manager, net, itemVectors, data.trained, true, blocks.graph(),
          blocks.itemToItem());
      double served = chooseBlockWeights(model, blocks, data, evaluator, valUsers);
      if (!Double.isNaN(served)) {
        stats = stats.withServedValidation(served);
      }
      return model;
    }

    /** The raw probe updates the weights: they are saved before and restored after, whatever the run kept. */
    private double rawThroughputKeepingWeights() {
      byte[] kept = saveParams(net);
      try {
        return rawThroughput(manager, ps, net, schema, data);
      } finally {
        loadParams(net, manager, kept);
      }
    }
  }

  /**
   * Weights of each collaborative block tried on validation, relative to the weight that gives the block's
   * scores the same spread as the towers' ({@link BlendScores#unit}); 0 = without it. Relative weights
   * make one grid fit every dataset: the towers' softmax logits and a block's raw scores differ in scale
   * by orders of magnitude from one dataset to the next.
   */
  static final float[] BLOCK_WEIGHTS = {0f, 1 / 16f, 1 / 8f, 1 / 4f, 1 / 2f, 1f, 2f, 4f, 8f, 16f, 32f, 64f};

  /**
   * Blocks learned from the interaction graph alone, trained once by the caller (an evaluation reuses
   * them across tower variants; a copy is taken); null = train them here when the configuration asks.
   */
  public JointTrainer collaborativeParts(CollaborativeParts value) {
    if (value != null && !value.fits(cfg)) {
      throw new IllegalArgumentException("collaborative parts do not fit the configuration");
    }
    parts = value;
    return this;
  }

  /**
   * The collaborative blocks, trained before the towers (or copied from {@link #collaborativeParts}).
   * Their weights stay 0 while the towers train, so the towers' epochs are chosen on their own score;
   * {@link #chooseBlockWeights} sets them at the end.
   */
  private CollaborativeParts collaborative(TrainingData data, Evaluator evaluator, List<EvalUser> valUsers) {
    if (parts != null) {
      CollaborativeParts copy = parts.copy();
      copy.setWeights(0f, 0f);
      return copy;
    }
    if (!cfg.collaborative() && !cfg.usesItemToItem()) {
      return new CollaborativeParts(null, null);
    }
    listener.onPhase(name, "collaborative blocks (graph-propagated embeddings, item-to-item weights)");
    return CollaborativeParts.train(cfg, data, evaluator, valUsers);
  }

  /** The collaborative block's LightGCN settings for a configuration. */
  static LightGcn.Settings collaborativeSettings(JointModelConfig cfg) {
    return LightGcn.Settings.defaults(cfg.seed()).withDim(cfg.collaborativeDim()).withL2(1e-3f);
  }

  /**
   * Sets the blocks' weights to the pair from {@link #BLOCK_WEIGHTS} (times each block's unit) whose blend with the towers has the
   * best validation NDCG@10, by coordinate search (graph weight, then item-to-item weight, then the graph
   * weight again; the smaller weight on ties). Without validation users both stay 0. Returns the
   * validation NDCG@10 of the chosen blend (NaN when nothing was chosen).
   */
  private double chooseBlockWeights(JointModel model, CollaborativeParts blocks, TrainingData data, Evaluator evaluator,
      List<EvalUser> valUsers) {
    if (valUsers.isEmpty() || blocks.graph() == null && blocks.itemToItem() == null) {
      return Double.NaN;
    }
    BlendScores scores = BlendScores.of(model, blocks, data, valUsers);
    float[] w = {0f, 0f};
    double best = evaluator.evaluate(scores.with(0f, 0f), valUsers).get("ndcg@10");
    for (int pass = 0; pass < 3; pass++) {
      int which = pass % 2;
      if (which == 0 ? blocks.graph() == null : blocks.itemToItem() == null) {
        continue;
      }
      for (float relative : BLOCK_WEIGHTS) {
        float[] trial = w.clone();
        trial[which] = relative * scores.unit(which);
        double ndcg = evaluator.evaluate(scores.with(trial[0], trial[1]), valUsers).get("ndcg@10");
        if (ndcg > best) {
          best = ndcg;
          w = trial;
        }
      }
    }
    blocks.setWeights(w[0], w[1]);
    listener.onPhase(name, String.format(java.util.Locale.ROOT,
        "block weights: graph %s, item-to-item %s (validation NDCG@10 %.4f)", w[0], w[1], best));
    return best;
  }

  /** Validation scores of the towers and of each block alone, computed once for the weight search. */
  private record BlendScores(java.util.Map<EvalUser, Integer> row, float[][] towers, float[][] graph, float[][] itemToItem) {
    static BlendScores of(JointModel model, CollaborativeParts blocks, TrainingData data, List<EvalUser> users) {
      java.util.Map<EvalUser, Integer> row = new java.util.IdentityHashMap<>();
      float[][] graph = blocks.graph() == null ? null : new float[users.size()][];
      float[][] i2i = blocks.itemToItem() == null ? null : new float[users.size()][];
      for (int k = 0; k < users.size(); k++) {
        EvalUser u = users.get(k);
        row.put(u, k);
        if (graph != null) {
          float[] s = new float[data.trained.length];
          for (int i = 0; i < s.length; i++) {
            s[i] = data.trained[i] ? blocks.graph().rawScore(u.userIndex(), i) : 0f;
          }
          graph[k] = s;
        }
        if (i2i != null) {
          i2i[k] = blocks.itemToItem().rawScores(u.history().stream().map(Step::item).toList());
        }
      }
      return new BlendScores(row, model.scoreUsers(users, data.profile), graph, i2i);
    }

    /**
     * The weight of block {@code which} (0 graph, 1 item-to-item) at which its scores spread like the
     * towers': the ratio of their mean per-user standard deviations over the items (1 when undefined).
     */
    float unit(int which) {
      return relativeUnit(towers, which == 0 ? graph : itemToItem);
    }

    Scorer with(float graphWeight, float itemToItemWeight) {
      return users -> {
        float[][] out = new float[users.size()][];
        for (int k = 0; k < out.length; k++) {
          int r = row.get(users.get(k));
          float[] s = towers[r].clone();
          for (int i = 0; i < s.length; i++) {
            s[i] += (graph == null ? 0f : graphWeight * graph[r][i])
                + (itemToItem == null ? 0f : itemToItemWeight * itemToItem[r][i]);
          }
          out[k] = s;
        }
        return out;
      };
    }
  }

  /** The factor that gives {@code block}'s scores the spread of {@code towers}' (1 when either spread is 0). */
  static float relativeUnit(float[][] towers, float[][] block) {
    double towersSpread = spread(towers);
    double blockSpread = spread(block);
    return towersSpread > 0 && blockSpread > 0 ? (float) (towersSpread / blockSpread) : 1f;
  }

  /** Mean over rows of each row's standard deviation. */
  private static double spread(float[][] rows) {
    double sum = 0;
    for (float[] r : rows) {
      double mean = 0;
      double sq = 0;
      for (float x : r) {
        mean += x;
        sq += (double) x * x;
      }
      mean /= r.length;
      sum += Math.sqrt(Math.max(0, sq / r.length - mean * mean));
    }
    return rows.length == 0 ? 0 : sum / rows.length;
  }

  /** log(1 + training count) centred over the trained items; 0 for items without training interactions. */
  static float[] logPopularity(long[] counts) {
    float[] out = new float[counts.length];
    double sum = 0;
    int n = 0;
    for (long c : counts) {
      if (c > 0) {
        sum += Math.log1p(c);
        n++;
      }
    }
    double mean = n == 0 ? 0 : sum / n;
    for (int i = 0; i < counts.length; i++) {
      out[i] = counts[i] > 0 ? (float) (Math.log1p(counts[i]) - mean) : 0f;
    }
    return out;
  }

  private BatchLoader loader(Schema schema, TrainingData data, float[][] itemVectors, int epoch) {
    int[][] hard = cfg.hardNegatives() > 0 ? hardNeighbours(schema, data, itemVectors) : null;
    return new BatchLoader(data, cfg, cfg.seed() * 1_000_003L + epoch, hard);
  }

  /**
   * Whether the checkpoints hold a run of this very job, to be continued. Otherwise they are removed
   * (saying so when they belonged to another job) and the job's digest is recorded for the
   * checkpoints this run writes.
   */
  private boolean resumable(RecDataset ds, DataSplit split) {
    String job = TrainingJobDigest.of(cfg, ds, split);
    Path last = checkpointDir.resolve("last.ckpt");
    boolean present = Files.exists(last);
    if (resume && present && job.equals(TrainingJobDigest.read(checkpointDir))) {
      return true;
    }
    if (present && resume) {
      listener.onPhase(name, "starting afresh: the checkpoints in " + checkpointDir
          + " are from another training job (its data, encoders or settings differ)");
    }
    try {
      Files.deleteIfExists(last);
      Files.deleteIfExists(checkpointDir.resolve("best.ckpt"));
    } catch (java.io.IOException e) {
      throw new FacetException("cannot remove old checkpoints in " + checkpointDir + ": " + e.getMessage(), e);
    }
    TrainingJobDigest.write(checkpointDir, job);
    return false;
  }

  private static JointModelCheckpoint peek(Path file) {
    JointModelCheckpoint ck = JointModelCheckpoint.read(file);
    ck.model().close();
    return ck;
  }

  private static byte[] paramsOf(Path file) {
    JointModelCheckpoint ck = JointModelCheckpoint.read(file);
    try {
      return saveParams(ck.model().network());
    } finally {
      ck.model().close();
    }
  }

  static byte[] saveParams(JointNetwork net) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      net.saveParameters(out);
    } catch (IOException e) {
      throw new FacetException("cannot snapshot parameters: " + e.getMessage(), e);
    }
    return bytes.toByteArray();
  }

  static void loadParams(JointNetwork net, NDManager manager, byte[] params) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(params))) {
      net.loadParameters(manager, in);
    } catch (IOException | MalformedModelException e) {
      throw new FacetException("cannot restore parameters: " + e.getMessage(), e);
    }
    attachGradients(net);
  }

  /** Loaded parameter arrays come without gradients; training needs them back. */
  static void attachGradients(JointNetwork net) {
    for (Pair<String, Parameter> p : net.getParameters()) {
      if (p.getValue().requiresGradient()) {
        p.getValue().getArray().setRequiresGradient(true);
      }
    }
  }

  /** Item vectors of every item in inference mode (cold items without their id part). */
  static float[][] allItemVectors(NDManager manager, ParameterStore ps, JointNetwork net, Schema schema,
      TrainingData data) {
    int n = schema.numItems();
    int[] ids = new int[n];
    float[] mask = new float[n];
    for (int i = 0; i < n; i++) {
      ids[i] = i;
      mask[i] = data.trained[i] ? 1f : 0f;
    }
    return JointModel.computeItemVectors(manager, ps, net, schema, ids, mask, data.attrBag, data.image, data.text);
  }

  private int[][] hardNeighbours(Schema schema, TrainingData data, float[][] itemVectors) {
    HardNegativeSource source = hardSource;
    if (source == null) {
      Map<String, float[]> byId = new java.util.LinkedHashMap<>();
      for (int i = 0; i < itemVectors.length; i++) {
        byId.put(schema.itemIds.get(i), itemVectors[i]);
      }
      source = HardNegativeSource.fromVectors(byId);
    }
    int[][] out = new int[schema.numItems()][];
    for (int i = 0; i < out.length; i++) {
      if (!data.trained[i]) {
        continue;
      }
      List<String> nb = source.neighbours(schema.itemIds.get(i), HARD_POOL);
      out[i] = nb.stream().mapToInt(schema::item).filter(j -> j >= 0 && j != -1).toArray();
    }
    return out;
  }

  /**
   * One optimizer step; returns the loss. A step whose loss or gradient is not finite is skipped
   * (gradients zeroed, weights untouched) and counted, so one bad batch cannot poison the weights.
   */
  private float step(NDManager manager, ParameterStore ps, JointNetwork net, Optimizer opt, Schema schema, Batch b) {
    float loss;
    try (NDManager bm = manager.newSubManager();
        GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray l = loss(bm, ps, net, cfg, schema, b, shared, true);
      gc.backward(l);
      loss = l.getFloat();
    }
    if (!update(manager, net, opt, cfg.clipNorm(), Float.isFinite(loss))) {
      skippedSteps++;
    }
    return loss;
  }

  /** Applies (clipped) gradients; returns false and only zeroes them when they are not finite. */
  static boolean update(NDManager manager, JointNetwork net, Optimizer opt, float clipNorm, boolean lossFinite) {
    try (NDManager sm = manager.newSubManager()) {
      List<Pair<Parameter, NDArray>> grads = new ArrayList<>();
      double sq = 0;
      for (Pair<String, Parameter> p : net.getParameters()) {
        NDArray arr = p.getValue().getArray();
        if (!arr.hasGradient()) {
          continue;
        }
        NDArray g = arr.getGradient();
        g.attach(sm);
        grads.add(new Pair<>(p.getValue(), g));
        float gsq = g.square().sum().getFloat();
        if (!Float.isFinite(gsq) && Boolean.getBoolean("facet.debug.grads")) {
          System.err.println("non-finite gradient in " + p.getKey() + " max|g|=" + g.abs().max().getFloat()
              + " nan=" + g.isNaN().any().getBoolean());
        }
        sq += gsq;
      }
      double norm = Math.sqrt(sq);
      boolean finite = lossFinite && Double.isFinite(norm);
      float scale = clipNorm > 0 && norm > clipNorm ? (float) (clipNorm / norm) : 1f;
      for (Pair<Parameter, NDArray> pg : grads) {
        NDArray g = pg.getValue();
        if (finite) {
          opt.update(pg.getKey().getId(), pg.getKey().getArray(), scale == 1f ? g : g.mul(scale));
          g.muli(0f);
        } else {
          // NaN * 0 stays NaN: overwrite instead, in place (set(float[]) would make the gradient alias a
          // JVM buffer that is freed with this temporary array)
          g.set(new NDIndex("..."), 0f);
        }
      }
      return finite;
    }
  }

  /**
   * Features of the exact softmax's items (every trained item, in {@link BatchLoader#exactCandidates}
   * order), made once per training run; each step works on copies in its own manager.
   */
  record SharedItems(NDArray attr, NDArray image, NDArray text) {
    static SharedItems of(NDManager manager, Schema schema, TrainingData data, int[] items) {
      if (items == null) {
        return null;
      }
      int n = items.length;
      int va = Math.max(1, schema.numAttrTokens());
      int di = Math.max(1, schema.imageDim);
      int dt = Math.max(1, schema.textDim);
      float[] a = new float[n * va];
      float[] im = new float[n * di];
      float[] tx = new float[n * dt];
      for (int l = 0; l < n; l++) {
        int i = items[l];
        if (schema.numAttrTokens() > 0) {
          System.arraycopy(data.attrBag[i], 0, a, l * va, va);
        }
        if (schema.imageDim > 0 && data.image[i] != null) {
          System.arraycopy(data.image[i], 0, im, l * di, di);
        }
        if (schema.textDim > 0 && data.text[i] != null) {
          System.arraycopy(data.text[i], 0, tx, l * dt, dt);
        }
      }
      return new SharedItems(owned(manager, a, new Shape(n, va)), owned(manager, im, new Shape(n, di)),
          owned(manager, tx, new Shape(n, dt)));
    }

    /** An array in libtorch-owned memory (not a view of a Java direct buffer), which every step copies. */
    private static NDArray owned(NDManager manager, float[] values, Shape shape) {
      try (NDArray wrapped = manager.create(values, shape)) {
        return wrapped.duplicate();
      }
    }

    void close() {
      attr.close();
      image.close();
      text.close();
    }

    /** A copy owned by {@code m}, so that results computed from it are freed with the step. */
    private static NDArray in(NDManager m, NDArray shared) {
      NDArray copy = shared.duplicate();
      copy.attach(m);
      return copy;
    }
  }

  /** The joint loss of one batch ({@code shared} holds the item features when the batch carries none). */
  static NDArray loss(NDManager m, ParameterStore ps, JointNetwork net, JointModelConfig cfg, Schema schema, Batch b,
      SharedItems shared, boolean training) {
    int n = b.items.length;
    int va = Math.max(1, schema.numAttrTokens());
    int di = Math.max(1, schema.imageDim);
    int dt = Math.max(1, schema.textDim);
    int len = b.historyLength;
    int d = cfg.dim();
    boolean own = b.itemAttr != null;
    NDArray attr = own ? NativeInputs.of(m, b.itemAttr, new Shape(n, va)) : SharedItems.in(m, shared.attr());
    NDArray image = own ? NativeInputs.of(m, b.itemImage, new Shape(n, di)) : SharedItems.in(m, shared.image());
    NDArray text = own ? NativeInputs.of(m, b.itemText, new Shape(n, dt)) : SharedItems.in(m, shared.text());
    JointNetwork.ItemOut io = net.items(ps, NativeInputs.of(m, b.items), NativeInputs.of(m, b.itemIdMask, new Shape(n, 1)), attr, image,
        text, training);
    NDArray v = io.vectors();
    NDArray hist = gather(m, v, b.histLocal).reshape(b.size, len, d);
    int p = Math.max(1, schema.numProfileTokens());
    JointNetwork.UserOut uo = net.users(ps, NativeInputs.of(m, b.users), NativeInputs.of(m, b.userIdMask, new Shape(b.size, 1)),
        NativeInputs.of(m, b.profile, new Shape(b.size, p)), hist, NativeInputs.of(m, b.histMask, new Shape(b.size, len)),
        NativeInputs.of(m, b.histLogW, new Shape(b.size, len)), NativeInputs.of(m, b.histSession, new Shape(b.size, len)), training);
    NDArray u = uo.vectors();
    NDArray cand = gather(m, v, b.candLocal);
    NDArray hv = b.hard > 0 ? gather(m, v, b.hardLocal).reshape(b.size, b.hard, d) : null;
    NDArray positives = NativeInputs.of(m, b.positives, new Shape(b.size, b.candLocal.length));
    if (b.hard > 0) {
      positives = NDArrays.concat(new NDList(positives, m.zeros(new Shape(b.size, b.hard))), 1);
    }
    NDArray weights = NativeInputs.of(m, b.weights);
    NDArray total = interactionLoss(m, net, cfg, b, u, cand, hv, positives, weights);
    if (training && uo.ownTaste() != null && cfg.tasteL2() > 0) {
      // The Gaussian prior that makes each user's own taste a shrunk estimate around the population's.
      // It counts once per user and epoch (each of the user's rows carries 1/its count), so a user with
      // more examples is shrunk less, as a posterior should be; per row it would grow with the data.
      NDArray perRow = uo.ownTaste().square().sum(new int[] {1}).mul(NativeInputs.of(m, b.tastePrior));
      total = total.add(perRow.sum().div(NativeInputs.scalar(m, b.size)).mul(NativeInputs.scalar(m, cfg.tasteL2())));
    }
    return attributeLosses(m, ps, net, cfg, schema, b, io, attr, u, total, training);
  }

  private static NDArray interactionLoss(NDManager m, JointNetwork net, JointModelConfig cfg, Batch b, NDArray u,
      NDArray cand, NDArray hv, NDArray positives, NDArray weights) {
    int wideStart = net.tasteDim() > 0 ? net.tasteStart() : 0; // taste block + bias coordinate from here on
    if (wideStart == 0) {
      return Losses.interaction(scores(m, b, cfg, u, cand, hv, true), positives, weights, cfg.loss(), null);
    }
    // The taste block and bias form a wide model that is fitted on its own; the deep part (content,
    // ids, attention over the history) learns only what that wide score leaves unexplained: its
    // loss sees the wide score as a constant. Trained jointly, the deep part fitted noise sooner than
    // the per-user taste converged and early stopping cut the taste fit short (see the model README).
    String deepCols = ":, :" + wideStart;
    String wideCols = ":, " + wideStart + ":";
    NDArray wideScores = scores(m, b, cfg, u.get(wideCols), cand.get(wideCols), hv == null ? null : hv.get(":, :, " + wideStart + ":"),
        true);
    NDArray deepScores = scores(m, b, cfg, u.get(deepCols), cand.get(deepCols), hv == null ? null : hv.get(":, :, :" + wideStart),
        false);
    return Losses.interaction(wideScores, positives, weights, cfg.loss(), null)
        .add(Losses.interaction(wideScores.stopGradient().add(deepScores), positives, weights, cfg.loss(), null));
  }

  /** Adds the item-side (attribute heads, image-text alignment) and user-side (preference head) terms. */
  private static NDArray attributeLosses(NDManager m, ParameterStore ps, JointNetwork net, JointModelConfig cfg,
      Schema schema, Batch b, JointNetwork.ItemOut io, NDArray attr, NDArray u, NDArray total, boolean training) {
    if (cfg.lambdaItem() > 0) {
      NDArray item = null;
      if (net.hasAttributes()) {
        NDArray tv = gather(m, io.vectors(), b.targetLocal);
        NDArray targets = gather(m, attr, b.targetLocal);
        item = Losses.perKeyCrossEntropy(net.attributeLogits(ps, tv, training), targets, schema.keyStart);
      }
      if (net.alignsImageText() && b.alignLocal.length >= 2) {
        NDArray align = Losses.infoNce(gather(m, io.image(), b.alignLocal), gather(m, io.text(), b.alignLocal), 0.1f);
        item = item == null ? align : item.add(align);
      }
      if (item != null) {
        total = total.add(item.mul(NativeInputs.scalar(m, cfg.lambdaItem())));
      }
    }
    if (cfg.lambdaUser() > 0 && net.hasAttributes()) {
      int va = Math.max(1, schema.numAttrTokens());
      NDArray pref = Losses.perKeyCrossEntropy(net.preferenceLogits(ps, u, training),
          NativeInputs.of(m, b.preference, new Shape(b.size, va)), schema.keyStart);
      total = total.add(pref.mul(NativeInputs.scalar(m, cfg.lambdaUser())));
    }
    return total;
  }

  /**
   * Scores of a batch's candidates (then its hard negatives) from (parts of) user and item vectors.
   *
   * @param corrections add the log-Q and history-mask terms; a residual that is added to corrected
   *     scores must leave them out, or they would count twice
   */
  private static NDArray scores(NDManager m, Batch b, JointModelConfig cfg, NDArray u, NDArray cand, NDArray hard,
      boolean corrections) {
    NDArray scores = u.matMul(cand.transpose());
    int c = b.candLocal.length;
    if (corrections && cfg.loss() == LossType.SOFTMAX && cfg.logQCorrection() && b.logQ != null) {
      scores = scores.sub(NativeInputs.of(m, b.logQ).expandDims(0));
    }
    if (corrections && b.candMask != null) {
      scores = scores.add(NativeInputs.of(m, b.candMask, new Shape(b.size, c)));
    }
    if (hard != null) {
      NDArray hs = hard.batchMatMul(u.expandDims(2)).reshape(b.size, b.hard);
      scores = NDArrays.concat(new NDList(scores, hs), 1);
    }
    return scores;
  }

  private static NDArray gather(NDManager m, NDArray table, int[] rows) {
    return Embedding.embedding(NativeInputs.of(m, rows), table, SparseFormat.DENSE).singletonOrThrow();
  }

  /**
   * Raw speed: forward + backward + update on batches built beforehand (no loader, no validation),
   * measured on a copy of the current weights that is restored by the caller.
   */
  private double rawThroughput(NDManager manager, ParameterStore ps, JointNetwork net, Schema schema, TrainingData data) {
    List<Batch> batches = new ArrayList<>();
    try (BatchLoader loader = new BatchLoader(data, cfg, cfg.seed() + 7, null)) {
      while (loader.hasNext() && batches.size() < 20) {
        batches.add(loader.next());
      }
    }
    Optimizer opt = Optimizer.adam().optLearningRateTracker(ai.djl.training.tracker.Tracker.fixed(1e-5f)).build();
    int skippedBefore = skippedSteps;
    step(manager, ps, net, opt, schema, batches.get(0)); // warm-up
    List<Double> rates = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      long samples = 0;
      long t0 = System.nanoTime();
      for (Batch b : batches) {
        step(manager, ps, net, opt, schema, b);
        samples += b.size;
      }
      double s = (System.nanoTime() - t0) / 1e9;
      rates.add(s > 0 ? samples / s : 0);
    }
    skippedSteps = skippedBefore;
    return median(rates);
  }

  /** The epochs after the first, which also paid the native warm-up (all of them when only one ran). */
  private static List<Double> steady(List<Double> perEpoch) {
    return perEpoch.size() > 1 ? perEpoch.subList(1, perEpoch.size()) : perEpoch;
  }

  private static double median(List<Double> values) {
    if (values.isEmpty()) {
      return 0;
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
