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
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
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
 * <p>Every step takes {@code batchSize} listings and two photos of each: two of the catalog photo
 * and its {@link TrainingViews} (re-rendered shots of the same product for generated catalogs),
 * each augmented. Objective, summed:
 * <ul>
 *   <li>image–text contrastive alignment (InfoNCE, both directions) of each photo against the
 *       frozen text encoder's vectors of the batch; the text side is frozen and not projected, so
 *       image vectors land in the text encoder's space and text queries retrieve photos directly.
 *       Listings whose texts are near-identical (cosine above {@value #SAME_TEXT}) count as
 *       positives of each other, because catalogs repeat titles;
 *   <li>an instance term: the other photo of the same listing is the positive, every other photo in
 *       the batch a negative. This is what lets a new photo of a product find that product (the
 *       re-shoot search of a merchant);
 *   <li>an attribute term pulling photos that share category, material, gemstone
 *       and style together (what makes nearest neighbours agree on category and material);
 *   <li>one softmax head per attribute (category, material, gemstone, colour, style), material
 *       weighted {@value #MATERIAL_WEIGHT}× because silver-toned metals are the hardest to tell apart.
 * </ul>
 *
 * <p>Geometric augmentation only (horizontal flip, a shift of up to 1/14 of the side): metal is
 * told apart by absolute brightness and tint, which photometric jitter would blur. Images are
 * decoded at the network's own input side ({@code inputSize}), the same way the extraction pipeline
 * decodes them, which keeps training and serving inputs identical.
 *
 * <p>Writes the encoder weights (DJL parameter stream of {@link CatalogResNet}) and the descriptor
 * {@code <modelsDir>/image-resnet-catalog.json} (another id for {@link ComplementTraining}) with
 * their SHA-256, atomically.
 */
public final class ImageEncoderTrainer {
  static final double SAME_TEXT = 0.98;
  private static final float TEMPERATURE = 0.05f;
  private static final float IMAGE_TEMPERATURE = 0.1f;
  static final float MATERIAL_WEIGHT = 2f;
  private static final String[] ATTRIBUTES = {"category", "material", "gemstone", "color", "style"};

  /**
   * Training knobs.
   *
   * @param epochs passes over the training split, at least 1
   * @param seed seed for the split, shuffling, augmentation and initialization
   * @param batchSize listings per step (two photos each), at least 4 (contrastive loss needs negatives)
   * @param inputSize side in pixels the photos are decoded to and the network runs at, in [32, 224]
   * @param learningRate peak Adam learning rate (cosine decay to 5% of it)
   * @param validationShare share of listings held out for the report, in [0, 0.5)
   * @param workers image decoding threads
   * @param device where to train
   */
  public record Settings(int epochs, long seed, int batchSize, int inputSize, float learningRate,
      double validationShare, int workers, Device device) {
    public Settings {
      if (epochs < 1 || batchSize < 4 || inputSize < ImagePipeline.MIN_SIDE || inputSize > ImagePipeline.DEFAULT_SIZE
          || !(learningRate > 0) || validationShare < 0 || validationShare >= 0.5 || workers < 1) {
        throw new IllegalArgumentException("invalid training settings: " + epochs + " epochs, batch " + batchSize
            + ", input size " + inputSize + ", lr " + learningRate + ", validation " + validationShare + ", workers " + workers);
      }
      Objects.requireNonNull(device, "device");
    }

    /**
     * Side of the default network. 80 rather than 56: a ring band or chain is one or two pixels wide
     * at 56 and blends with the background, which is where silver, white gold and platinum differ
     * (measured on catalog-samples, same recipe: material kNN agreement 0.48 at 56, 0.57 at 80;
     * re-shoot check 0.60 vs 0.64). 80 rather than 112: one epoch costs about twice as much as at 56
     * instead of four times, which keeps training near five minutes on two cores.
     */
    public static final int DEFAULT_INPUT_SIZE = 80;

    /** Batch 32, {@value #DEFAULT_INPUT_SIZE}-pixel network, learning rate 2e-3, 10% validation, all cores. */
    public static Settings defaults(int epochs, long seed) {
      return new Settings(epochs, seed, 32, DEFAULT_INPUT_SIZE, 2e-3f, 0.1, Runtime.getRuntime().availableProcessors(), Device.AUTO);
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
   * @param agreement image-vector kNN@10 agreement over all usable catalog photos
   * @param checkTop5 share of listings whose held-out check photo ({@link TrainingViews#checkPhoto})
   *     finds the listing's catalog photo in its 5 nearest; NaN when there are no check photos
   * @param rejects the rejected records
   */
  public record TrainReport(Path descriptor, Path weights, String sha256, long weightBytes, int trainImages,
      int validationImages, int rejected, int epochs, double seconds, List<Double> epochLoss,
      Map<String, Double> validationAccuracy, double validationImageToText, NeighbourAgreement agreement,
      double checkTop5, List<RecordError> rejects) {}

  private ImageEncoderTrainer() {}

  /**
   * Trains with {@link Settings#defaults} and no extra views and writes the default model into
   * {@code modelsDir}.
   */
  public static TrainReport train(List<Listing> listings, Path catalogDir, TextEncoder text, Path modelsDir, int epochs, long seed) {
    return train(listings, EmbeddingPipeline.imagesUnder(catalogDir), text, modelsDir, Settings.defaults(epochs, seed),
        TrainingViews.none(), m -> { });
  }

  /**
   * Trains and writes {@code <modelsDir>/image-resnet-catalog.json} plus its weights.
   *
   * @param imagePath where each listing's primary image is
   * @param views extra photos per listing for the instance term ({@link TrainingViews#none()} for
   *     augmentations of the catalog photo only)
   * @param log receives one line per epoch and phase (for the CLI)
   * @throws FacetException when fewer than {@code 2 × batchSize} usable images remain
   */
  public static TrainReport train(List<Listing> listings, Function<Listing, Path> imagePath, TextEncoder text,
      Path modelsDir, Settings settings, TrainingViews views, Consumer<String> log) {
    return train(listings, imagePath, text, modelsDir, settings, views, ResNetImageEncoder.DEFAULT_ID, log);
  }

  /**
   * As {@link #train(List, Function, TextEncoder, Path, Settings, TrainingViews, Consumer)}, but writes
   * {@code <modelsDir>/<id>.json}: a second network (another input side, say) beside the default one.
   */
  public static TrainReport train(List<Listing> listings, Function<Listing, Path> imagePath, TextEncoder text,
      Path modelsDir, Settings settings, TrainingViews views, String id, Consumer<String> log) {
    long start = System.nanoTime();
    int size = settings.inputSize();
    ImagePipeline decoder = new ImagePipeline(size);
    List<RecordError> rejects = new ArrayList<>();
    List<Listing> usable = new ArrayList<>();
    List<float[]> images = decodeAll(listings, imagePath, decoder, settings.workers(), usable, rejects);
    log.accept("decoded " + images.size() + " images at " + size + " px, rejected " + rejects.size());
    requireEnough(images.size(), rejects.size(), settings);
    // photos.get(i)[0] is the catalog photo of listing i, the rest its extra views.
    List<float[][]> photos = prepareViews(usable, images, views, decoder, settings.workers());
    if (views.count() > 0) {
      log.accept("prepared " + views.count() + " extra views per listing (" + (System.nanoTime() - start) / 1_000_000_000 + " s)");
    }
    Output output = new Output(id, null, views.describe(), "./facet train-encoder --catalog "
        + "catalog-samples --views " + views.count() + " --input-size " + settings.inputSize() + " --epochs " + settings.epochs()
        + " --seed " + settings.seed() + (id.equals(ResNetImageEncoder.DEFAULT_ID) ? "" : " --resnet-id " + id));
    return fit(usable, images, photos, rejects, text, modelsDir, settings, views, null, output, start, log);
  }

  /**
   * What a run writes and starts from.
   *
   * @param id the descriptor id (file {@code <id>.json}, weights {@code <id>/<id>.params})
   * @param initialWeights parameters of a {@link CatalogResNet} of the same shape to start from, or null for a fresh network
   * @param viewsDescription how the training photos were made, for the descriptor
   * @param obtain the command that reproduces the weights
   */
  record Output(String id, Path initialWeights, String viewsDescription, String obtain) {
    Output {
      ModelFiles.requireWritableId(id);
    }
  }

  /**
   * Trains on photos already decoded ({@code photos.get(i)[0]} is {@code images.get(i)}, the catalog
   * photo of listing {@code i}, the rest its other photos) and writes the encoder.
   *
   * @param partner the frozen part the encoder is trained to complete in a fused vector, or null
   */
  static TrainReport fit(List<Listing> usable, List<float[]> images, List<float[][]> photos, List<RecordError> rejects,
      TextEncoder text, Path modelsDir, Settings settings, TrainingViews views, FusionPartner partner, Output output, long start,
      Consumer<String> log) {
    int size = settings.inputSize();
    ImagePipeline decoder = new ImagePipeline(size);
    float[][] textVectors = encodeTexts(usable, text, log);
    int dim = text.dimension();

    Map<String, List<String>> vocab = new LinkedHashMap<>();
    Map<String, int[]> labels = new LinkedHashMap<>();
    attributeLabels(usable, vocab, labels);

    Random random = new Random(settings.seed());
    List<Integer> order = shuffledOrder(usable.size(), random);
    int validationCount = (int) Math.round(usable.size() * settings.validationShare());
    List<Integer> validation = List.copyOf(order.subList(0, validationCount));
    List<Integer> training = new ArrayList<>(order.subList(validationCount, order.size()));

    Engine.getEngine("PyTorch").setRandomSeed((int) settings.seed());
    Block encoder = CatalogResNet.encoder(size, size, dim);
    SequentialBlock net = withAttributeHeads(encoder, vocab);

    int stepsPerEpoch = training.size() / settings.batchSize();
    List<Double> epochLoss = new ArrayList<>();
    Map<String, Double> accuracy;
    double imageToText;
    NeighbourAgreement agreement;
    double checkTop5;
    ai.djl.Device device = Devices.pytorch(settings.device());
    try (Model model = Model.newInstance("image-resnet-catalog-training", device, "PyTorch")) {
      if (output.initialWeights() != null) {
        // Loaded before the trainer initialises the network: initialisation then keeps these values and
        // marks them for gradients, and they live in the model's manager, which outlives the trainer.
        encoder.initialize(model.getNDManager(), ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 3, size, size));
        loadWeights(encoder, model.getNDManager(), output.initialWeights());
        log.accept("started from " + output.initialWeights());
      }
      model.setBlock(net);
      try (Trainer trainer = model.newTrainer(trainingConfig(settings, stepsPerEpoch, device))) {
        trainer.initialize(new Shape(2L * settings.batchSize(), 3, size, size));
        epochLoss.addAll(runEpochs(trainer, settings, training, photos, textVectors, labels, partner, random, start, log));
        accuracy = new LinkedHashMap<>();
        imageToText = validate(trainer, size, validation, images, textVectors, labels, accuracy);
        log.accept("validation: " + accuracy + ", image->text top-1 " + imageToText);
        float[][] catalogVectors = embed(trainer, size, images);
        agreement = NeighbourAgreement.measure(usable, List.of(catalogVectors), Math.min(10, usable.size() - 1));
        checkTop5 = checkReshoot(trainer, size, usable, catalogVectors, views, decoder, settings.workers());
        log.accept(String.format("catalog kNN@10 agreement: category %.3f, material %.3f; check re-shoot top-5 %.3f",
            agreement.category(), agreement.material(), checkTop5));
      }
      Path[] written = save(encoder, modelsDir, settings, output, partner, dim, vocab, usable.size(), accuracy, imageToText,
          agreement, checkTop5, (System.nanoTime() - start) / 1e9);
      String sha = ModelFiles.sha256(written[1]);
      return new TrainReport(written[0], written[1], sha, Files.size(written[1]), training.size(), validation.size(),
          rejects.size(), settings.epochs(), (System.nanoTime() - start) / 1e9, List.copyOf(epochLoss),
          Map.copyOf(accuracy), imageToText, agreement, checkTop5, List.copyOf(rejects));
    } catch (IOException e) {
      throw new FacetException("cannot write the trained image encoder into " + modelsDir + ": " + e.getMessage(), e);
    }
  }

  private static float[][] encodeTexts(List<Listing> usable, TextEncoder text, Consumer<String> log) {
    List<String> texts = usable.stream().map(Listing::searchableText).toList();
    float[][] vectors = text.encode(texts);
    log.accept("encoded " + texts.size() + " texts with the frozen text encoder (" + text.dimension() + " dims)");
    return vectors;
  }

  private static void requireEnough(int images, int rejected, Settings settings) {
    if (images < 2 * settings.batchSize()) {
      throw new FacetException("only " + images + " usable images (" + rejected + " rejected); training needs at least "
          + 2 * settings.batchSize());
    }
  }

  /** Runs every epoch over the shuffled training listings; returns each epoch's mean loss. */
  private static List<Double> runEpochs(Trainer trainer, Settings settings, List<Integer> training, List<float[][]> photos,
      float[][] textVectors, Map<String, int[]> labels, FusionPartner partner, Random random, long start, Consumer<String> log) {
    int size = settings.inputSize();
    int stepsPerEpoch = training.size() / settings.batchSize();
    List<Double> epochLoss = new ArrayList<>();
    for (int epoch = 0; epoch < settings.epochs(); epoch++) {
      Collections.shuffle(training, random);
      double sum = 0;
      for (int step = 0; step < stepsPerEpoch; step++) {
        List<Integer> batch = training.subList(step * settings.batchSize(), (step + 1) * settings.batchSize());
        sum += trainStep(trainer, size, batch, photos, textVectors, labels, partner, random);
      }
      epochLoss.add(sum / stepsPerEpoch);
      log.accept(String.format("epoch %d/%d: loss %.4f (%.0f s)", epoch + 1, settings.epochs(), sum / stepsPerEpoch,
          (System.nanoTime() - start) / 1e9));
    }
    return epochLoss;
  }

  /** Vocabulary and per-listing label of every attribute that takes at least two values. */
  static void attributeLabels(List<Listing> usable, Map<String, List<String>> vocab, Map<String, int[]> labels) {
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
  }

  private static List<Integer> shuffledOrder(int n, Random random) {
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      order.add(i);
    }
    Collections.shuffle(order, random);
    return order;
  }

  /** The encoder followed by its embedding (identity) and one linear classifier per attribute. */
  private static SequentialBlock withAttributeHeads(Block encoder, Map<String, List<String>> vocab) {
    List<Block> heads = new ArrayList<>();
    heads.add(Blocks.identityBlock());
    vocab.values().forEach(v -> heads.add(Linear.builder().setUnits(v.size()).build()));
    return new SequentialBlock().add(encoder).add(new ParallelBlock(ImageEncoderTrainer::concat, heads));
  }

  /** Adam with weight decay under a cosine schedule that ends at 5% of the base rate. */
  private static DefaultTrainingConfig trainingConfig(Settings settings, int stepsPerEpoch, ai.djl.Device device) {
    Tracker lr = Tracker.cosine().setBaseValue(settings.learningRate()).optFinalValue(settings.learningRate() * 0.05f)
        .setMaxUpdates(Math.max(1, stepsPerEpoch * settings.epochs())).build();
    return new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
        .optOptimizer(Optimizer.adam().optLearningRateTracker(lr).optWeightDecays(1e-4f).build())
        .optDevices(new ai.djl.Device[] {device});
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
      case "style" -> l.style();
      default -> l.color();
    };
    return v == null || v.isBlank() ? "unknown" : v;
  }

  /**
   * One row per listing: its catalog photo, then its extra views decoded at the training size.
   * A view that cannot be decoded is left out (the listing keeps its other photos).
   */
  private static List<float[][]> prepareViews(List<Listing> usable, List<float[]> images, TrainingViews views,
      ImagePipeline decoder, int workers) {
    if (views.count() == 0) {
      List<float[][]> out = new ArrayList<>(usable.size());
      images.forEach(chw -> out.add(new float[][] {chw}));
      return out;
    }
    List<Integer> rows = java.util.stream.IntStream.range(0, usable.size()).boxed().toList();
    return inParallel(rows, i -> {
      Listing l = usable.get(i);
      List<float[]> all = new ArrayList<>(views.count() + 1);
      all.add(images.get(i));
      for (int v = 0; v < views.count(); v++) {
        try {
          all.add(decoder.decodeChw(views.photo(l, v), l.id() + " view " + v));
        } catch (ImageRejectedException e) {
          // keep the listing with the photos it has
        }
      }
      return all.toArray(float[][]::new);
    }, workers, "preparing training views");
  }

  /**
   * {@code work} applied to every item on {@code workers} threads, results in input order; any
   * failure fails the whole call with {@code what} in the message.
   */
  static <T, R> List<R> inParallel(List<T> items, Function<T, R> work, int workers, String what) {
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    try {
      List<Future<R>> futures = new ArrayList<>(items.size());
      for (T item : items) {
        futures.add(pool.submit(() -> work.apply(item)));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<R> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FacetException(what + " interrupted", e);
    } catch (ExecutionException e) {
      throw new FacetException(what + " failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Two distinct photos of listing {@code i} (two augmentations of the one photo when it has no
   * other), augmented into {@code first} and {@code second}; returns the two photos' indices.
   */
  private static int[] twoViews(float[][] photos, int size, float[] first, float[] second, Random random) {
    int a = random.nextInt(photos.length);
    int b = a;
    if (photos.length > 1) {
      b = random.nextInt(photos.length - 1);
      if (b >= a) {
        b++;
      }
    }
    augment(photos[a], first, size, random);
    augment(photos[b], second, size, random);
    return new int[] {a, b};
  }

  private static double trainStep(Trainer trainer, int size, List<Integer> batch, List<float[][]> photos, float[][] textVectors,
      Map<String, int[]> labels, FusionPartner partner, Random random) {
    int n = batch.size();
    int plane = 3 * size * size;
    // Rows 0..n-1 hold the first photo of each listing, rows n..2n-1 the second.
    float[] pixels = new float[2 * n * plane];
    float[] first = new float[plane];
    float[] second = new float[plane];
    int[] listing = new int[2 * n];
    int[] view = new int[2 * n];
    for (int r = 0; r < n; r++) {
      int[] picked = twoViews(photos.get(batch.get(r)), size, first, second, random);
      System.arraycopy(first, 0, pixels, r * plane, plane);
      System.arraycopy(second, 0, pixels, (n + r) * plane, plane);
      listing[r] = listing[n + r] = batch.get(r);
      view[r] = picked[0];
      view[n + r] = picked[1];
    }
    List<Integer> both = new ArrayList<>(2 * n);
    both.addAll(batch);
    both.addAll(batch);
    try (NDManager m = trainer.getManager().newSubManager()) {
      NDArray x = m.create(FloatBuffer.wrap(pixels), new Shape(2L * n, 3, size, size));
      NDArray t = m.create(rows(textVectors, batch), new Shape(n, textVectors[0].length));
      NDArray targets = m.create(sameTextTargets(textVectors, batch), new Shape(n, n));
      NDArray instance = m.create(instanceTargets(n), new Shape(2L * n, 2L * n));
      NDArray related = m.create(relatedTargets(labels, both), new Shape(2L * n, 2L * n));
      try (GradientCollector collector = trainer.newGradientCollector()) {
        NDList out = trainer.forward(new NDList(x));
        NDArray loss = loss(out, t, targets, instance, related, labels, both, m);
        if (partner != null) {
          loss = loss.add(partner.loss(unit(out.get(0)), listing, view, instance, related, m));
        }
        collector.backward(loss);
        double value = loss.getFloat();
        trainer.step();
        return value;
      }
    }
  }

  /**
   * Image–text contrastive loss in both directions for each of the two photo halves, the instance
   * term, the shared-attribute term and one cross-entropy per attribute head.
   */
  private static NDArray loss(NDList out, NDArray text, NDArray targets, NDArray instance, NDArray related,
      Map<String, int[]> labels, List<Integer> both, NDManager m) {
    int n2 = both.size();
    int n = n2 / 2;
    NDArray img = unit(out.get(0));
    NDArray loss = null;
    for (int half = 0; half < 2; half++) {
      NDArray logits = img.get(half * n + ":" + (half + 1) * n).matMul(text.transpose()).div(scalar(m, TEMPERATURE));
      NDArray l = softCrossEntropy(logits, targets).add(softCrossEntropy(logits.transpose(), targets)).mul(scalar(m, 0.25f));
      loss = loss == null ? l : loss.add(l);
    }
    // Self-similarity is pushed far below every other logit so a photo is never its own positive.
    NDArray self = m.eye(n2).mul(1e4f);
    NDArray imageLogits = img.matMul(img.transpose()).div(scalar(m, IMAGE_TEMPERATURE)).sub(self);
    loss = loss.add(softCrossEntropy(imageLogits, instance));
    loss = loss.add(softCrossEntropy(imageLogits, related));
    int head = 1;
    for (Map.Entry<String, int[]> e : labels.entrySet()) {
      NDArray headLogits = out.get(head++);
      int classes = (int) headLogits.getShape().get(1);
      NDArray ce = softCrossEntropy(headLogits, m.create(oneHot(e.getValue(), both, classes), new Shape(n2, classes)));
      loss = loss.add("material".equals(e.getKey()) ? ce.mul(scalar(m, MATERIAL_WEIGHT)) : ce);
    }
    return loss;
  }

  static NDArray unit(NDArray v) {
    return v.div(v.square().sum(new int[] {1}, true).sqrt().add(1e-6f));
  }

  /**
   * A scalar operand in libtorch-owned memory. DJL's {@code x.div(0.07f)} wraps the number in a JVM
   * direct buffer that it drops when the call returns, while autograd keeps that operand for the
   * backward pass: a garbage collection in between made backward read freed memory.
   */
  static NDArray scalar(NDManager m, float value) {
    return m.full(new Shape(), value);
  }

  static NDArray softCrossEntropy(NDArray logits, NDArray targets) {
    return targets.mul(logits.logSoftmax(1)).sum(new int[] {1}).neg().mean();
  }

  static float[] rows(float[][] vectors, List<Integer> batch) {
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
   * The instance term's targets over {@code 2n} photos laid out as in {@link #trainStep} (photo r
   * and photo n + r show the same listing): row i is one-hot on the other photo of its listing.
   */
  static float[] instanceTargets(int n) {
    int n2 = 2 * n;
    float[] out = new float[n2 * n2];
    for (int i = 0; i < n2; i++) {
      out[i * n2 + (i < n ? i + n : i - n)] = 1;
    }
    return out;
  }

  /**
   * Row i: a distribution over the other batch items, item j weighted by the attributes it shares
   * with item i (category 1, material 1.5, gemstone and style 0.5 each, colour 0 because it follows
   * from the material); all zero when it shares none. {@code batch} may name a listing twice (its
   * two photos), which then share everything.
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
              case "category" -> 1f;
              case "material" -> 1.5f;
              case "gemstone", "style" -> 0.5f;
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

  static float[] oneHot(int[] labels, List<Integer> batch, int classes) {
    float[] out = new float[batch.size() * classes];
    for (int r = 0; r < batch.size(); r++) {
      out[r * classes + labels[batch.get(r)]] = 1;
    }
    return out;
  }

  /**
   * Flip and shift by up to 1/14 of the side (edge pixels repeat) of one normalized
   * {@code size × size} CHW image into {@code out}. No brightness, contrast or colour jitter: what
   * separates 925 silver (170 grey) from white gold (214) and platinum (bluer) is exactly absolute
   * brightness and tint, and the re-rendered views already vary light direction and background.
   * Package-private for tests.
   */
  static void augment(float[] chw, float[] out, int size, Random random) {
    int s = size;
    int maxShift = Math.max(1, s / 14);
    boolean flip = random.nextBoolean();
    int dx = random.nextInt(2 * maxShift + 1) - maxShift;
    int dy = random.nextInt(2 * maxShift + 1) - maxShift;
    for (int c = 0; c < 3; c++) {
      int base = c * s * s;
      for (int y = 0; y < s; y++) {
        int sy = Math.min(s - 1, Math.max(0, y + dy));
        for (int x = 0; x < s; x++) {
          int sx = Math.min(s - 1, Math.max(0, x + dx));
          if (flip) {
            sx = s - 1 - sx;
          }
          out[base + y * s + x] = chw[base + sy * s + sx];
        }
      }
    }
  }

  /** Unit image vectors of {@code images} in inference mode, 32 per forward pass. */
  private static float[][] embed(Trainer trainer, int size, List<float[]> images) {
    int plane = 3 * size * size;
    float[][] out = new float[images.size()][];
    for (int from = 0; from < images.size(); from += 32) {
      int to = Math.min(images.size(), from + 32);
      FloatBuffer pixels = FloatBuffer.allocate((to - from) * plane);
      images.subList(from, to).forEach(pixels::put);
      pixels.flip();
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDList result = trainer.evaluate(new NDList(m.create(pixels, new Shape(to - from, 3, size, size))));
        float[] emb = result.get(0).toFloatArray();
        float[][] rows = Vectors.normalizedRows(emb, to - from, emb.length / (to - from));
        System.arraycopy(rows, 0, out, from, rows.length);
      }
    }
    return out;
  }

  /**
   * Share of listings whose check photo (a shot no training view has) finds the listing's catalog
   * photo among its 5 nearest catalog photos: the re-shoot search, measured on seeds of its own.
   */
  private static double checkReshoot(Trainer trainer, int size, List<Listing> usable, float[][] catalogVectors,
      TrainingViews views, ImagePipeline decoder, int workers) {
    if (views.checkPhoto(usable.get(0)) == null) {
      return Double.NaN;
    }
    List<float[]> checks = inParallel(usable, l -> decoder.decodeChw(views.checkPhoto(l), l.id() + " check"), workers,
        "check photos");
    float[][] queries = embed(trainer, size, checks);
    int hits = 0;
    for (int i = 0; i < queries.length; i++) {
      double own = Vectors.dot(queries[i], catalogVectors[i]);
      int better = 0;
      for (int j = 0; j < catalogVectors.length && better < 5; j++) {
        if (j != i && Vectors.dot(queries[i], catalogVectors[j]) > own) {
          better++;
        }
      }
      hits += better < 5 ? 1 : 0;
    }
    return hits / (double) queries.length;
  }

  private static double validate(Trainer trainer, int size, List<Integer> validation, List<float[]> images, float[][] textVectors,
      Map<String, int[]> labels, Map<String, Double> accuracy) {
    if (validation.isEmpty()) {
      return Double.NaN;
    }
    int plane = 3 * size * size;
    float[][] imageVectors = new float[validation.size()][];
    int[] correct = new int[labels.size()];
    for (int from = 0; from < validation.size(); from += 32) {
      List<Integer> batch = validation.subList(from, Math.min(validation.size(), from + 32));
      FloatBuffer pixels = FloatBuffer.allocate(batch.size() * plane);
      batch.forEach(i -> pixels.put(images.get(i)));
      pixels.flip();
      try (NDManager m = trainer.getManager().newSubManager()) {
        NDList out = trainer.evaluate(new NDList(m.create(pixels, new Shape(batch.size(), 3, size, size))));
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
    return imageToTextTop1(imageVectors, textVectors, validation);
  }

  /**
   * Share of {@code imageVectors[i]} (of listing {@code validation.get(i)}) whose nearest text among
   * the validation listings' texts is its own or a (near-)identical one.
   */
  static double imageToTextTop1(float[][] imageVectors, float[][] textVectors, List<Integer> validation) {
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

  private static List<float[]> decodeAll(List<Listing> listings, Function<Listing, Path> imagePath, ImagePipeline decoder,
      int workers, List<Listing> usable, List<RecordError> rejects) {
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
  private static Path[] save(Block encoder, Path modelsDir, Settings settings, Output run, FusionPartner partner, int dim,
      Map<String, List<String>> vocab, int listings, Map<String, Double> accuracy, double imageToText,
      NeighbourAgreement agreement, double checkTop5, double seconds) throws IOException {
    String id = run.id();
    Path weights = saveWeights(encoder, modelsDir, id);
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
    // The pipeline decodes straight to this side (no 224 step), see ImagePipeline.
    input.put("size", settings.inputSize());
    input.put("internalSize", settings.inputSize());
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
    // The exact command that reproduces these weights from the committed catalog (same seed).
    d.put("obtain", run.obtain());
    d.put("training", trainingRecord(settings, run, partner, vocab, listings, accuracy, imageToText, agreement, checkTop5,
        seconds));
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

  private static void loadWeights(Block encoder, NDManager manager, Path weights) {
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
      encoder.loadParameters(manager, in);
    } catch (IOException | ai.djl.MalformedModelException e) {
      throw new FacetException("cannot start training from " + weights + ": " + e.getMessage(), e);
    }
  }

  private static Path saveWeights(Block encoder, Path modelsDir, String id) throws IOException {
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
    return weights;
  }

  /** The descriptor's record of how the weights were trained and what they scored on the catalog. */
  private static Map<String, Object> trainingRecord(Settings settings, Output run, FusionPartner partner,
      Map<String, List<String>> vocab, int listings, Map<String, Double> accuracy, double imageToText,
      NeighbourAgreement agreement, double checkTop5, double seconds) {
    Map<String, Object> training = new LinkedHashMap<>();
    training.put("listings", listings);
    training.put("epochs", settings.epochs());
    training.put("seed", settings.seed());
    training.put("batchSize", settings.batchSize());
    training.put("learningRate", settings.learningRate());
    training.put("inputSize", settings.inputSize());
    training.put("views", run.viewsDescription());
    if (run.initialWeights() != null) {
      training.put("startedFrom", run.initialWeights().getFileName().toString());
    }
    training.put("objective", "per listing two photos (catalog photo and extra views, augmented); InfoNCE vs frozen "
        + BertTextEncoder.DEFAULT_ID + " text vectors (T=" + TEMPERATURE + ")"
        + " + instance contrastive, the other photo of the same listing positive (T=" + IMAGE_TEMPERATURE + ")"
        + " + image-image contrastive on shared attributes (T="
        + IMAGE_TEMPERATURE + ") + attribute cross-entropy (material x" + MATERIAL_WEIGHT + ")"
        + (partner == null ? "" : " + " + partner.describe()));
    training.put("attributes", vocab);
    training.put("validationAccuracy", accuracy);
    training.put("validationImageToTextTop1", Double.isNaN(imageToText) ? null : imageToText);
    Map<String, Object> catalogChecks = new LinkedHashMap<>();
    catalogChecks.put("neighbourAgreementCategory@10", agreement.category());
    catalogChecks.put("neighbourAgreementMaterial@10", agreement.material());
    catalogChecks.put("checkReshootTop5", Double.isNaN(checkTop5) ? null : checkTop5);
    catalogChecks.put("note", "over all catalog photos (training ones included); check re-shoots use "
        + "SampleCatalogGenerator.checkVariant seeds, held out from training and distinct from bench reshoot's");
    training.put("catalogChecks", catalogChecks);
    training.put("seconds", Math.round(seconds));
    return training;
  }

  private static List<Float> toList(float[] values) {
    List<Float> out = new ArrayList<>();
    for (float v : values) {
      out.add(v);
    }
    return out;
  }

  /** Moves a finished model file (weights or descriptor) into place, readable by all, atomically where the file system can. */
  static void move(Path from, Path to) throws IOException {
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
