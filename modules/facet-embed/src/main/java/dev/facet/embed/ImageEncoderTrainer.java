package dev.facet.embed;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import dev.facet.core.RecordError;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.FloatBuffer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Trains the offline default image encoder ({@link ResNetImageEncoder}) on a catalog's own photos.
 *
 * <p>Objective: image–text contrastive alignment (InfoNCE, both directions) against the frozen text
 * encoder's vectors of the same listings, softmax classification heads for category, material,
 * gemstone and colour on the image vector, and an image–image contrastive term whose positives are
 * the batch photos sharing attributes. The text side is frozen and not projected, so image
 * vectors land in the text encoder's space: text queries can retrieve photos directly. Listings
 * whose texts are near-identical (cosine above {@value #SAME_TEXT}) count as positives of each other
 * rather than as negatives, because catalogs repeat titles.
 *
 * <p>Light augmentation on the normalized float arrays: horizontal flip, a shift of up to 16 pixels
 * and brightness/contrast jitter, with only a small per-channel shift because metal colour is a
 * label. The network runs at {@code internalSize} pixels (56 by default) after an average pool, which
 * is what makes 600 photos × ten epochs fit in minutes on two CPU cores.
 *
 * <p>Writes the encoder weights (DJL parameter stream of {@link CatalogResNet}) and the descriptor
 * {@code <modelsDir>/image-resnet-catalog.json} with their SHA-256, atomically.
 */
public final class ImageEncoderTrainer {
  static final double SAME_TEXT = 0.98;
  private static final float TEMPERATURE = 0.05f;
  private static final float IMAGE_TEMPERATURE = 0.1f;
  private static final int INPUT_SIZE = ImagePipeline.DEFAULT_SIZE;
  private static final String[] ATTRIBUTES = {"category", "material", "gemstone", "color"};

  /**
   * Training knobs.
   *
   * @param epochs passes over the training split, at least 1
   * @param seed seed for the split, shuffling, augmentation and initialization
   * @param batchSize images per step, at least 4 (contrastive loss needs negatives)
   * @param internalSize network resolution; must divide 224
   * @param learningRate peak Adam learning rate (cosine decay to 5% of it)
   * @param validationShare share of listings held out for the report, in [0, 0.5)
   * @param workers image decoding threads
   * @param device where to train
   */
  public record Settings(int epochs, long seed, int batchSize, int internalSize, float learningRate,
      double validationShare, int workers, Device device) {
    public Settings {
      if (epochs < 1 || batchSize < 4 || internalSize < 32 || INPUT_SIZE % internalSize != 0
          || !(learningRate > 0) || validationShare < 0 || validationShare >= 0.5 || workers < 1) {
        throw new IllegalArgumentException("invalid training settings: " + epochs + " epochs, batch " + batchSize
            + ", internal size " + internalSize + ", lr " + learningRate + ", validation " + validationShare + ", workers " + workers);
      }
      Objects.requireNonNull(device, "device");
    }

    /**
     * Batch 32, 56-pixel network, learning rate 2e-3, 10% validation, all cores. 56 pixels because
     * at 112 one epoch over 600 photos takes about four times as long, which breaks the five-minute
     * budget on two shared cores; category, metal colour and stone colour survive the downscale.
     */
    public static Settings defaults(int epochs, long seed) {
      return new Settings(epochs, seed, 32, 56, 2e-3f, 0.1, Runtime.getRuntime().availableProcessors(), Device.AUTO);
    }
  }

  /**
   * What a training run did.
   *
   * @param descriptor the written descriptor
   * @param weights the written weights file
   * @param sha256 checksum of the weights
   * @param weightBytes size of the weights file
   * @param trainImages listings trained on
   * @param validationImages listings held out
   * @param rejected listings skipped because their image is unusable (see {@code rejects})
   * @param epochs epochs run
   * @param seconds wall time, decoding included
   * @param epochLoss mean training loss per epoch
   * @param validationAccuracy per attribute, top-1 accuracy of the head on the held-out listings
   * @param validationImageToText share of held-out images whose nearest held-out text vector is their
   *     own text (or an identical one)
   * @param rejects the rejected records
   */
  public record TrainReport(Path descriptor, Path weights, String sha256, long weightBytes, int trainImages,
      int validationImages, int rejected, int epochs, double seconds, List<Double> epochLoss,
      Map<String, Double> validationAccuracy, double validationImageToText, List<RecordError> rejects) {}

  private ImageEncoderTrainer() {}

  /**
   * Trains with {@link Settings#defaults} and writes the default model into {@code modelsDir}; what
   * {@code facet train-encoder --catalog DIR} calls.
   */
  public static TrainReport train(List<Listing> listings, Path catalogDir, TextEncoder text, Path modelsDir, int epochs, long seed) {
    return train(listings, EmbeddingPipeline.imagesUnder(catalogDir), text, modelsDir, Settings.defaults(epochs, seed), m -> { });
  }

  /**
   * Trains and writes {@code <modelsDir>/image-resnet-catalog.json} plus its weights.
   *
   * @param imagePath where each listing's primary image is
   * @param log receives one line per epoch and phase (for the CLI)
   * @throws FacetException when fewer than {@code 2 × batchSize} usable images remain
   */
  public static TrainReport train(List<Listing> listings, Function<Listing, Path> imagePath, TextEncoder text,
      Path modelsDir, Settings settings, Consumer<String> log) {
    long start = System.nanoTime();
    List<RecordError> rejects = new ArrayList<>();
    List<Listing> usable = new ArrayList<>();
    List<float[]> images = decodeAll(listings, imagePath, settings.workers(), usable, rejects);
    log.accept("decoded " + images.size() + " images, rejected " + rejects.size());
    if (images.size() < 2 * settings.batchSize()) {
      throw new FacetException("only " + images.size() + " usable images (" + rejects.size() + " rejected); training needs at least "
          + 2 * settings.batchSize());
    }
    List<String> texts = usable.stream().map(Listing::searchableText).toList();
    float[][] textVectors = text.encode(texts);
    int dim = text.dimension();
    log.accept("encoded " + texts.size() + " texts with the frozen text encoder (" + dim + " dims)");

    Map<String, List<String>> vocab = new LinkedHashMap<>();
    Map<String, int[]> labels = new LinkedHashMap<>();
    for (String attribute : ATTRIBUTES) {
      TreeSet<String> values = new TreeSet<>();
      usable.forEach(l -> values.add(attribute(l, attribute)));
      if (values.size() < 2) {
        continue; // nothing to learn from a constant attribute
      }
      List<String> v = List.copyOf(values);
      vocab.put(attribute, v);
      labels.put(attribute, usable.stream().mapToInt(l -> v.indexOf(attribute(l, attribute))).toArray());
    }

    Random random = new Random(settings.seed());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < usable.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    int validationCount = (int) Math.round(usable.size() * settings.validationShare());
    List<Integer> validation = List.copyOf(order.subList(0, validationCount));
    List<Integer> training = new ArrayList<>(order.subList(validationCount, order.size()));

    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    Block encoder = CatalogResNet.encoder(INPUT_SIZE, settings.internalSize(), dim);
    List<Block> heads = new ArrayList<>();
    heads.add(Blocks.identityBlock());
    vocab.values().forEach(v -> heads.add(Linear.builder().setUnits(v.size()).build()));
    SequentialBlock net = new SequentialBlock().add(encoder).add(new ParallelBlock(ImageEncoderTrainer::concat, heads));

    int stepsPerEpoch = training.size() / settings.batchSize();
    List<Double> epochLoss = new ArrayList<>();
    Map<String, Double> accuracy;
    double imageToText;
    ai.djl.Device device = Devices.pytorch(settings.device());
    try (Model model = Model.newInstance("image-resnet-catalog-training", device, "PyTorch")) {
      model.setBlock(net);
      Tracker lr = Tracker.cosine().setBaseValue(settings.learningRate()).optFinalValue(settings.learningRate() * 0.05f)
          .setMaxUpdates(Math.max(1, stepsPerEpoch * settings.epochs())).build();
      DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
          .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(1e-4f).build())
          .optDevices(new ai.djl.Device[] {device});
      try (Trainer trainer = model.newTrainer(config)) {
        trainer.initialize(new Shape(settings.batchSize(), 3, INPUT_SIZE, INPUT_SIZE));
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
          Collections.shuffle(training, random);
          double sum = 0;
          for (int step = 0; step < stepsPerEpoch; step++) {
            List<Integer> batch = training.subList(step * settings.batchSize(), (step + 1) * settings.batchSize());
            sum += trainStep(trainer, batch, images, textVectors, labels, random);
          }
          epochLoss.add(sum / stepsPerEpoch);
          log.accept(String.format("epoch %d/%d: loss %.4f (%.0f s)", epoch + 1, settings.epochs(), sum / stepsPerEpoch,
              (System.nanoTime() - start) / 1e9));
        }
        accuracy = new LinkedHashMap<>();
        imageToText = validate(trainer, validation, images, textVectors, labels, accuracy);
        log.accept("validation: " + accuracy + ", image->text top-1 " + imageToText);
      }
      Path[] written = save(encoder, modelsDir, settings, dim, vocab, usable.size(), accuracy, imageToText);
      String sha = ModelFiles.sha256(written[1]);
      return new TrainReport(written[0], written[1], sha, Files.size(written[1]), training.size(), validation.size(),
          rejects.size(), settings.epochs(), (System.nanoTime() - start) / 1e9, List.copyOf(epochLoss),
          Map.copyOf(accuracy), imageToText, List.copyOf(rejects));
    } catch (IOException e) {
      throw new FacetException("cannot write the trained image encoder into " + modelsDir + ": " + e.getMessage(), e);
    }
  }

  private static NDList concat(List<NDList> outputs) {
    NDList all = new NDList();
    outputs.forEach(all::addAll);
    return all;
  }

  private static String attribute(Listing l, String name) {
    String v = switch (name) {
      case "category" -> l.category();
      case "material" -> l.material();
      case "gemstone" -> l.gemstone();
      default -> l.color();
    };
    return v == null || v.isBlank() ? "unknown" : v;
  }

  private static double trainStep(Trainer trainer, List<Integer> batch, List<float[]> images, float[][] textVectors,
      Map<String, int[]> labels, Random random) {
    int n = batch.size();
    int plane = 3 * INPUT_SIZE * INPUT_SIZE;
    FloatBuffer pixels = FloatBuffer.allocate(n * plane);
    float[] scratch = new float[plane];
    for (int i : batch) {
      augment(images.get(i), scratch, random);
      pixels.put(scratch);
    }
    pixels.flip();
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x = m.create(pixels, new Shape(n, 3, INPUT_SIZE, INPUT_SIZE));
      NDArray t = m.create(rows(textVectors, batch), new Shape(n, textVectors[0].length));
      NDArray targets = m.create(sameTextTargets(textVectors, batch), new Shape(n, n));
      NDArray related = m.create(relatedTargets(labels, batch), new Shape(n, n));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(x));
        NDArray loss = loss(out, t, targets, related, labels, batch, m);
        collector.backward(loss);
        double value = loss.getFloat();
        trainer.step();
        return value;
      }
    }
  }

  /**
   * Image–text contrastive loss in both directions, an image–image term that pulls photos sharing
   * attributes together (weighted by how many they share; this is what makes nearest neighbours by
   * image vector agree on category and material), and one cross-entropy per attribute head.
   */
  private static NDArray loss(NDList out, NDArray text, NDArray targets, NDArray related, Map<String, int[]> labels,
      List<Integer> batch, NDManager m) {
    NDArray img = unit(out.get(0));
    NDArray logits = img.matMul(text.transpose()).div(TEMPERATURE);
    NDArray loss = softCrossEntropy(logits, targets).add(softCrossEntropy(logits.transpose(), targets)).mul(0.5f);
    // Self-similarity is pushed far below every other logit so an image is never its own positive.
    NDArray self = m.eye(batch.size()).mul(1e4f);
    loss = loss.add(softCrossEntropy(img.matMul(img.transpose()).div(IMAGE_TEMPERATURE).sub(self), related));
    int head = 1;
    for (int[] y : labels.values()) {
      NDArray headLogits = out.get(head++);
      int classes = (int) headLogits.getShape().get(1);
      loss = loss.add(softCrossEntropy(headLogits, m.create(oneHot(y, batch, classes), new Shape(batch.size(), classes))));
    }
    return loss;
  }

  private static NDArray unit(NDArray v) {
    return v.div(v.pow(2).sum(new int[] {1}, true).sqrt().add(1e-6f));
  }

  private static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
    return targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean();
  }

  private static float[] rows(float[][] vectors, List<Integer> batch) {
    int d = vectors[0].length;
    float[] out = new float[batch.size() * d];
    for (int r = 0; r < batch.size(); r++) {
      System.arraycopy(vectors[batch.get(r)], 0, out, r * d, d);
    }
    return out;
  }

  /** Row i: uniform over the batch items whose text is (near-)identical to item i's, itself included. */
  static float[] sameTextTargets(float[][] textVectors, List<Integer> batch) {
    int n = batch.size();
    float[] out = new float[n * n];
    for (int i = 0; i < n; i++) {
      int count = 0;
      for (int j = 0; j < n; j++) {
        if (i == j || Vectors.dot(textVectors[batch.get(i)], textVectors[batch.get(j)]) > SAME_TEXT) {
          out[i * n + j] = 1;
          count++;
        }
      }
      for (int j = 0; j < n; j++) {
        out[i * n + j] /= count;
      }
    }
    return out;
  }

  /**
   * Row i: a distribution over the other batch items, item j weighted by the attributes it shares
   * with item i (category and material 1 each, gemstone 0.5, colour 0); all zero when it shares none.
   */
  static float[] relatedTargets(Map<String, int[]> labels, List<Integer> batch) {
    int n = batch.size();
    float[] out = new float[n * n];
    for (int i = 0; i < n; i++) {
      float sum = 0;
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        float w = 0;
        for (Map.Entry<String, int[]> e : labels.entrySet()) {
          int[] y = e.getValue();
          if (y[batch.get(i)] == y[batch.get(j)]) {
            w += switch (e.getKey()) {
              case "category", "material" -> 1f;
              case "gemstone" -> 0.5f;
              default -> 0f;
            };
          }
        }
        out[i * n + j] = w;
        sum += w;
      }
      for (int j = 0; sum > 0 && j < n; j++) {
        out[i * n + j] /= sum;
      }
    }
    return out;
  }

  private static float[] oneHot(int[] labels, List<Integer> batch, int classes) {
    float[] out = new float[batch.size() * classes];
    for (int r = 0; r < batch.size(); r++) {
      out[r * classes + labels[batch.get(r)]] = 1;
    }
    return out;
  }

  /**
   * Flip, shift (edge pixels repeat) and brightness/contrast jitter of one normalized CHW image into
   * {@code out}. Package-private for tests.
   */
  static void augment(float[] chw, float[] out, Random random) {
    int s = INPUT_SIZE;
    boolean flip = random.nextBoolean();
    int dx = random.nextInt(33) - 16;
    int dy = random.nextInt(33) - 16;
    float contrast = 0.8f + 0.4f * random.nextFloat();
    float brightness = 0.4f * random.nextFloat() - 0.2f;
    for (int c = 0; c < 3; c++) {
      float shift = brightness + 0.1f * random.nextFloat() - 0.05f;
      int base = c * s * s;
      for (int y = 0; y < s; y++) {
        int sy = Math.min(s - 1, Math.max(0, y + dy));
        for (int x = 0; x < s; x++) {
          int sx = Math.min(s - 1, Math.max(0, x + dx));
          if (flip) {
            sx = s - 1 - sx;
          }
          out[base + y * s + x] = chw[base + sy * s + sx] * contrast + shift;
        }
      }
    }
  }

  private static double validate(Trainer trainer, List<Integer> validation, List<float[]> images, float[][] textVectors,
      Map<String, int[]> labels, Map<String, Double> accuracy) {
    if (validation.isEmpty()) {
      return Double.NaN;
    }
    int plane = 3 * INPUT_SIZE * INPUT_SIZE;
    float[][] imageVectors = new float[validation.size()][];
    int[] correct = new int[labels.size()];
    for (int from = 0; from < validation.size(); from += 32) {
      List<Integer> batch = validation.subList(from, Math.min(validation.size(), from + 32));
      FloatBuffer pixels = FloatBuffer.allocate(batch.size() * plane);
      batch.forEach(i -> pixels.put(images.get(i)));
      pixels.flip();
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDList out = trainer.evaluate(new NDList(m.create(pixels, new Shape(batch.size(), 3, INPUT_SIZE, INPUT_SIZE))));
        float[] emb = out.get(0).toFloatArray();
        float[][] rows = Vectors.normalizedRows(emb, batch.size(), emb.length / batch.size());
        System.arraycopy(rows, 0, imageVectors, from, rows.length);
        int head = 0;
        for (int[] y : labels.values()) {
          long[] predicted = out.get(head + 1).argMax(1).toLongArray();
          for (int r = 0; r < batch.size(); r++) {
            if (predicted[r] == y[batch.get(r)]) {
              correct[head]++;
            }
          }
          head++;
        }
      }
    }
    int head = 0;
    for (String name : labels.keySet()) {
      accuracy.put(name, correct[head++] / (double) validation.size());
    }
    int hits = 0;
    for (int i = 0; i < validation.size(); i++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < validation.size(); j++) {
        double s = Vectors.dot(imageVectors[i], textVectors[validation.get(j)]);
        if (s > bestScore) {
          bestScore = s;
          best = j;
        }
      }
      if (best == i || Vectors.dot(textVectors[validation.get(i)], textVectors[validation.get(best)]) > SAME_TEXT) {
        hits++;
      }
    }
    return hits / (double) validation.size();
  }

  private static List<float[]> decodeAll(List<Listing> listings, Function<Listing, Path> imagePath, int workers,
      List<Listing> usable, List<RecordError> rejects) {
    ImagePipeline decoder = new ImagePipeline(INPUT_SIZE);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<float[]>> futures = new ArrayList<>();
      for (Listing l : listings) {
        futures.add(pool.submit(() -> decoder.loadChw(imagePath.apply(l))));
      }
      List<float[]> images = new ArrayList<>();
      for (int i = 0; i < futures.size(); i++) {
        Listing l = listings.get(i);
        try {
          images.add(futures.get(i).get());
          usable.add(l);
        } catch (ExecutionException e) {
          String reason = e.getCause() instanceof ImageRejectedException r ? r.reason() : String.valueOf(e.getCause());
          rejects.add(new RecordError(imagePath.apply(l).toString(), 0, l.id(), "images", reason));
        }
      }
      return images;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FacetException("image decoding interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** Writes weights then descriptor, each through a temp file and an atomic rename. */
  private static Path[] save(Block encoder, Path modelsDir, Settings settings, int dim, Map<String, List<String>> vocab,
      int listings, Map<String, Double> accuracy, double imageToText) throws IOException {
    String id = ResNetImageEncoder.DEFAULT_ID;
    Path weightsDir = Files.createDirectories(modelsDir.resolve(id));
    Path weights = weightsDir.resolve(id + ".params");
    Path tmp = Files.createTempFile(weightsDir, id, ".part");
    try {
      try (OutputStream raw = Files.newOutputStream(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw))) {
        encoder.saveParameters(out);
      }
      move(tmp, weights);
    } finally {
      Files.deleteIfExists(tmp);
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("id", id);
    d.put("kind", "image");
    d.put("engine", "PyTorch");
    d.put("format", "djl-params");
    d.put("architecture", CatalogResNet.ARCHITECTURE);
    d.put("source", "trained");
    d.put("weights", id + "/" + id + ".params");
    d.put("sha256", ModelFiles.sha256(weights));
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("size", INPUT_SIZE);
    input.put("internalSize", settings.internalSize());
    input.put("mean", toList(ImagePipeline.MEAN));
    input.put("std", toList(ImagePipeline.STD));
    d.put("input", input);
    Map<String, Object> output = new LinkedHashMap<>();
    output.put("dim", dim);
    output.put("pooling", "global-average then linear projection");
    output.put("normalization", "l2");
    output.put("alignedWith", BertTextEncoder.DEFAULT_ID);
    d.put("output", output);
    d.put("licence", "trained by Facet on the catalog's own photos; same terms as that catalog");
    d.put("obtain", "./facet train-encoder --catalog catalog-samples");
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("listings", listings);
    training.put("epochs", settings.epochs());
    training.put("seed", settings.seed());
    training.put("batchSize", settings.batchSize());
    training.put("learningRate", settings.learningRate());
    training.put("objective", "InfoNCE vs frozen " + BertTextEncoder.DEFAULT_ID + " text vectors (T=" + TEMPERATURE
        + ") + image-image contrastive on shared attributes (T=" + IMAGE_TEMPERATURE + ") + attribute cross-entropy");
    training.put("internalSize", settings.internalSize());
    training.put("attributes", vocab);
    training.put("validationAccuracy", accuracy);
    training.put("validationImageToTextTop1", Double.isNaN(imageToText) ? null : imageToText);
    d.put("training", training);
    Path descriptor = modelsDir.resolve(id + ".json");
    Path tmpDescriptor = Files.createTempFile(modelsDir, id, ".part");
    try {
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmpDescriptor.toFile(), d);
      move(tmpDescriptor, descriptor);
    } finally {
      Files.deleteIfExists(tmpDescriptor);
    }
    return new Path[] {descriptor, weights};
  }

  private static List<Float> toList(float[] values) {
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      // Temp files are created owner-only; the model is meant to be shared like any other file.
      Files.setPosixFilePermissions(from, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep its defaults
    }
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
