package dev.facet.embed;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.facet.core.Device;
import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link FusionHead} over frozen part features ({@link FusionFeatures}): a linear map from
 * the fused encoder's concatenated part vectors to its output, started at the fixed fusion
 * ({@link FusionHead#initial}) and pulled back towards it by {@code anchor × ||W − W0||²}, so what
 * the ImageNet trunk knows about real photographs is kept while the catalog's objectives reshape it:
 * <ul>
 *   <li>instance InfoNCE: two views of one listing (catalog photo, re-rendered views, re-shoots)
 *       are positives, the batch's other listings negatives;
 *   <li>attribute heads: category and material classifiers on the output;
 *   <li>image-text alignment: InfoNCE between the output, mapped by a training-only linear map to
 *       the text encoder's space, and the listings' text vectors.
 * </ul>
 * Plain Adam with DJL autograd on CPU; every array lives in a manager closed at the end.
 */
final class FusionHeadTrainer {
  private static final float IMAGE_TEMPERATURE = 0.1f;
  private static final float TEXT_TEMPERATURE = 0.05f;
  private static final String[] ATTRIBUTES = {"category", "material"};

  /**
   * @param epochs passes over the training listings
   * @param batchSize listings per step
   * @param learningRate Adam's
   * @param anchor strength of the pull towards the fixed fusion
   * @param textWeight weight of the image-text term
   */
  record Settings(int epochs, long seed, int batchSize, float learningRate, float anchor, float textWeight) {
    Settings withAnchor(float value) {
      return new Settings(epochs, seed, batchSize, learningRate, value, textWeight);
    }
  }

  /** What training data the head sees: features, labels, text vectors, the split. */
  record Data(FusionFeatures features, Map<String, int[]> labels, Map<String, Integer> classes, float[][] textVectors,
      List<Integer> training, List<Integer> validation) {
    static Data of(FusionFeatures features, List<Listing> listings, float[][] textVectors, double validationShare, long seed) {
      Map<String, List<String>> vocab = new LinkedHashMap<>();
      Map<String, int[]> all = new LinkedHashMap<>();
      ImageEncoderTrainer.attributeLabels(listings, vocab, all);
      Map<String, int[]> labels = new LinkedHashMap<>();
      Map<String, Integer> classes = new LinkedHashMap<>();
      for (String a : ATTRIBUTES) {
        if (all.containsKey(a)) {
          labels.put(a, all.get(a));
          classes.put(a, vocab.get(a).size());
        }
      }
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < listings.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(seed));
      int v = (int) Math.round(listings.size() * validationShare);
      return new Data(features, labels, classes, textVectors, List.copyOf(order.subList(v, order.size())),
          List.copyOf(order.subList(0, v)));
    }
  }

  /** A trained head, its training-only text map and each epoch's mean loss. */
  record Trained(FusionHead head, float[] textMap, int textDim, List<Double> epochLoss) {}

  private FusionHeadTrainer() {}

  /** Trains from {@code initial}; deterministic for a seed, thread count and CPU. */
  static Trained train(FusionHead initial, Data data, Settings settings, Device device) {
    int in = initial.inputDim();
    int out = initial.outputDim();
    int textDim = data.textVectors()[0].length;
    Random random = new Random(settings.seed());
    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    try (NDManager m = NDManager.newBaseManager(Devices.pytorch(device), "PyTorch")) {
      NDArray w0 = m.create(initial.weights(), new Shape(in, out));
      List<NDArray> params = new ArrayList<>();
      params.add(w0.duplicate());
      params.add(m.create(gaussian(random, out * textDim, 1 / Math.sqrt(out)), new Shape(out, textDim)));
      data.classes().values().forEach(k -> params.add(m.zeros(new Shape(out, k))));
      params.forEach(p -> p.setRequiresGradient(true));
      Adam adam = new Adam(m, params, settings.learningRate());
      List<Double> epochLoss = new ArrayList<>();
      List<Integer> order = new ArrayList<>(data.training());
      for (int epoch = 0; epoch < settings.epochs(); epoch++) {
        Collections.shuffle(order, random);
        double sum = 0;
        int steps = 0;
        for (int from = 0; from + settings.batchSize() <= order.size(); from += settings.batchSize()) {
          List<Integer> batch = order.subList(from, from + settings.batchSize());
          sum += step(m, params, w0, adam, data, batch, settings, random);
          steps++;
        }
        epochLoss.add(sum / Math.max(1, steps));
      }
      FusionHead head = new FusionHead(in, out, params.get(0).toFloatArray());
      return new Trained(head, params.get(1).toFloatArray(), textDim, List.copyOf(epochLoss));
    }
  }

  private static double step(NDManager manager, List<NDArray> params, NDArray w0, Adam adam, Data data, List<Integer> batch,
      Settings settings, Random random) {
    int n = batch.size();
    int dim = data.features().dim();
    float[] a = new float[n * dim];
    float[] b = new float[n * dim];
    for (int r = 0; r < n; r++) {
      float[][] views = data.features().get(batch.get(r));
      int first = random.nextInt(views.length);
      int second = (first + 1 + random.nextInt(views.length - 1)) % views.length;
      System.arraycopy(views[first], 0, a, r * dim, dim);
      System.arraycopy(views[second], 0, b, r * dim, dim);
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray xa = m.create(a, new Shape(n, dim));
      NDArray xb = m.create(b, new Shape(n, dim));
      NDArray text = m.create(ImageEncoderTrainer.rows(data.textVectors(), batch), new Shape(n, data.textVectors()[0].length));
      NDArray sameText = m.create(ImageEncoderTrainer.sameTextTargets(data.textVectors(), batch), new Shape(n, n));
      NDArray identity = m.eye(n);
      double value;
      try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
        NDArray loss = loss(m, params, w0, xa, xb, text, sameText, identity, data, batch, settings);
        collector.backward(loss);
        value = loss.getFloat();
      }
      adam.step(m);
      return value;
    }
  }

  private static NDArray loss(NDManager m, List<NDArray> params, NDArray w0, NDArray xa, NDArray xb, NDArray text,
      NDArray sameText, NDArray identity, Data data, List<Integer> batch, Settings settings) {
    NDArray w = params.get(0);
    NDArray za = ImageEncoderTrainer.unit(xa.matMul(w));
    NDArray zb = ImageEncoderTrainer.unit(xb.matMul(w));
    NDArray logits = za.matMul(zb.transpose()).div(ImageEncoderTrainer.scalar(m, IMAGE_TEMPERATURE));
    NDArray loss = ImageEncoderTrainer.softCrossEntropy(logits, identity)
        .add(ImageEncoderTrainer.softCrossEntropy(logits.transpose(), identity)).mul(ImageEncoderTrainer.scalar(m, 0.5f));
    NDArray ta = ImageEncoderTrainer.unit(za.matMul(params.get(1)));
    NDArray textLogits = ta.matMul(text.transpose()).div(ImageEncoderTrainer.scalar(m, TEXT_TEMPERATURE));
    NDArray textLoss = ImageEncoderTrainer.softCrossEntropy(textLogits, sameText)
        .add(ImageEncoderTrainer.softCrossEntropy(textLogits.transpose(), sameText));
    loss = loss.add(textLoss.mul(ImageEncoderTrainer.scalar(m, 0.5f * settings.textWeight())));
    int head = 2;
    for (Map.Entry<String, int[]> e : data.labels().entrySet()) {
      int k = data.classes().get(e.getKey());
      NDArray targets = m.create(ImageEncoderTrainer.oneHot(e.getValue(), batch, k), new Shape(batch.size(), k));
      NDArray ce = ImageEncoderTrainer.softCrossEntropy(za.matMul(params.get(head++)), targets);
      loss = loss.add("material".equals(e.getKey()) ? ce.mul(ImageEncoderTrainer.scalar(m, ImageEncoderTrainer.MATERIAL_WEIGHT)) : ce);
    }
    NDArray diff = w.sub(w0);
    diff.attach(m); // owned by the step, not by the run's manager
    NDArray drift = diff.square().sum();
    return loss.add(drift.mul(ImageEncoderTrainer.scalar(m, settings.anchor())));
  }

  private static float[] gaussian(Random random, int n, double std) {
    float[] out = new float[n];
    for (int i = 0; i < n; i++) {
      out[i] = (float) (random.nextGaussian() * std);
    }
    return out;
  }

  /** Adam (β 0.9, 0.999) over arrays that collect gradients; their gradients are zeroed after each step. */
  private static final class Adam {
    private final List<NDArray> params;
    private final List<NDArray> first = new ArrayList<>();
    private final List<NDArray> second = new ArrayList<>();
    private final float rate;
    private int t;

    Adam(NDManager m, List<NDArray> params, float rate) {
      this.params = params;
      this.rate = rate;
      for (NDArray p : params) {
        first.add(m.zeros(p.getShape()));
        second.add(m.zeros(p.getShape()));
      }
    }

    void step(NDManager scratch) {
      t++;
      float c1 = (float) (1 - Math.pow(0.9, t));
      float c2 = (float) (1 - Math.pow(0.999, t));
      for (int i = 0; i < params.size(); i++) {
        // Every temporary is owned by the step's scratch manager: results of an operation belong to
        // its first operand's manager, which for the parameters and moments lives for the whole run.
        NDArray g = params.get(i).getGradient();
        g.attach(scratch);
        first.get(i).muli(0.9f).addi(g.mul(0.1f));
        second.get(i).muli(0.999f).addi(g.square().mul(0.001f));
        NDArray update = first.get(i).duplicate();
        update.attach(scratch);
        NDArray scale = second.get(i).div(c2);
        scale.attach(scratch);
        scale = scale.sqrt().addi(1e-8f);
        params.get(i).subi(update.divi(c1).divi(scale).muli(rate));
        g.subi(g.duplicate());
      }
    }
  }
}
