package dev.facet.embed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code facet train-encoder --complement}: fine-tunes the catalog ResNet part of a fixed-weight
 * fused descriptor (by default {@code image-fused}: the frozen InceptionV3 trunk at 0.8 of the
 * cosine, the ResNet at 0.2) for its place in the fused vector, and writes the tuned ResNet and a
 * fused descriptor that uses it.
 *
 * <p>Why: trained alone, the ResNet learns to tell listings apart by itself; served at 0.2 of the
 * cosine, next to a trunk whose cosines among jewellery photos vary little but not by nothing, its
 * margins are too small to outvote the trunk's confusions, and the fused vector finds a re-rendered
 * listing less often than the ResNet alone. Here the ResNet keeps its own objective
 * ({@link ImageEncoderTrainer}: text alignment, attribute heads, instance term) and adds the instance
 * and shared-attribute terms over the fused cosine, with the trunk's vectors of the same photos fixed
 * ({@link FusionPartner}). The photos per listing are those of {@link FusionFeatures} (catalog photo,
 * re-rendered views, re-shoots), whose trunk features are computed once and may be cached.
 */
public final class ComplementTraining {
  /** Id of the ResNet tuned for the fused vector. */
  public static final String RESNET_ID = "image-resnet-complement";
  /** Id of the fused descriptor that uses it. */
  public static final String FUSED_ID = FusedImageEncoder.COMPLEMENT_ID;

  /**
   * @param baseId fixed-weight fused descriptor with two parts, one of them the catalog ResNet
   * @param resnetId id of the tuned ResNet's descriptor
   * @param fusedId id of the fused descriptor written beside it
   * @param views re-rendered views per listing ({@link TrainingViews})
   * @param reshoots re-shoots of the catalog photo per listing
   * @param temperature of the fused terms
   * @param lossWeight of the fused terms in the loss
   */
  public record Options(String baseId, String resnetId, String fusedId, TrainingViews views, int reshoots, int epochs,
      float learningRate, float temperature, float lossWeight, long seed, int workers, Device device, Path featureCache) {
    public Options {
      ModelFiles.requireWritableId(resnetId);
      ModelFiles.requireWritableId(fusedId);
    }
  }

  private ComplementTraining() {}

  /** Extracts (or reads) the trunk's features, fine-tunes the ResNet, writes both descriptors. */
  public static ImageEncoderTrainer.TrainReport run(List<Listing> listings, List<byte[]> photos, TextEncoder text,
      Path modelsDir, Options options, Consumer<String> log) {
    long start = System.nanoTime();
    ModelDescriptor baseDescriptor = ModelDescriptorReader.find(modelsDir, options.baseId());
    FusionPartner partner;
    ModelDescriptor resnetDescriptor;
    List<float[][]> pixels;
    int resnetSide;
    double resnetWeight;
    try (FusedImageEncoder base = FusedImageEncoder.open(baseDescriptor, options.device())) {
      int r = resnetPart(base, options.baseId());
      FusedImageEncoder.Part resnet = base.parts().get(r);
      FusedImageEncoder.Part frozen = base.parts().get(1 - r);
      resnetDescriptor = ((ResNetImageEncoder) resnet.encoder()).descriptor();
      resnetSide = resnet.encoder().inputSize();
      resnetWeight = resnet.weight();
      FusionFeatures features = FusionFeatures.extract(base, listings, photos, options.views(), options.reshoots(),
          options.workers(), options.featureCache(), log);
      partner = new FusionPartner(frozenVectors(features, base, r), frozen.weight(), projectionColumns(resnet),
          options.temperature(), options.lossWeight());
      pixels = decodeViews(listings, photos, options, base.inputSize(), resnetSide);
    }
    log.accept("decoded " + pixels.size() + " x " + partner.views() + " photos for the ResNet at " + resnetSide + " px");
    List<float[]> catalogPhotos = pixels.stream().map(p -> p[0]).toList();
    ImageEncoderTrainer.Settings settings = new ImageEncoderTrainer.Settings(options.epochs(), options.seed(), 32, resnetSide,
        options.learningRate(), 0.1, options.workers(), options.device());
    ImageEncoderTrainer.Output output = new ImageEncoderTrainer.Output(options.resnetId(),
        ModelFiles.weights(resnetDescriptor, null), "catalog photo, " + options.views().describe() + ", " + options.reshoots()
            + " re-shoots (crop 78-90%, rotation 12 degrees, brightness and saturation jitter; training seeds)",
        "./facet train-encoder --catalog catalog-samples --complement --epochs " + options.epochs() + " --learning-rate "
            + options.learningRate() + " --complement-temperature " + options.temperature() + " --complement-weight "
            + options.lossWeight() + " --seed " + options.seed()
            + (FusedImageEncoder.FIXED_ID.equals(options.baseId()) ? "" : " --head-from " + options.baseId()));
    ImageEncoderTrainer.TrainReport report = ImageEncoderTrainer.fit(listings, catalogPhotos, pixels, List.of(), text,
        modelsDir, settings, options.views(), partner, output, start, log);
    writeFused(modelsDir, baseDescriptor, options, resnetDescriptor.id(), resnetWeight);
    return report;
  }

  private static int resnetPart(FusedImageEncoder base, String baseId) {
    List<FusedImageEncoder.Part> parts = base.parts();
    if (base.head() != null || parts.size() != 2) {
      throw new FacetException("model '" + baseId + "' must be a fixed-weight fusion of two parts to train its ResNet part");
    }
    for (int i = 0; i < 2; i++) {
      if (parts.get(i).encoder() instanceof ResNetImageEncoder && !(parts.get(1 - i).encoder() instanceof ResNetImageEncoder)) {
        return i;
      }
    }
    throw new FacetException("model '" + baseId + "' needs exactly one catalog ResNet part");
  }

  /** The frozen part's served vectors: its slice of the cached features, projected as the base projects it. */
  private static float[][][] frozenVectors(FusionFeatures features, FusedImageEncoder base, int resnet) {
    int frozen = 1 - resnet;
    int offset = frozen == 0 ? 0 : base.parts().get(0).encoder().dimension();
    int dim = base.parts().get(frozen).encoder().dimension();
    RandomProjection projection = base.parts().get(frozen).projection();
    float[][][] out = new float[features.size()][][];
    for (int l = 0; l < features.size(); l++) {
      float[][] views = features.get(l);
      float[][] slice = new float[views.length][];
      for (int v = 0; v < views.length; v++) {
        slice[v] = java.util.Arrays.copyOfRange(views[v], offset, offset + dim);
      }
      out[l] = projection == null ? slice : projection.apply(slice);
    }
    return out;
  }

  private static float[][] projectionColumns(FusedImageEncoder.Part resnet) {
    if (resnet.projection() != null) {
      return resnet.projection().columns();
    }
    int d = resnet.encoder().dimension();
    float[][] identity = new float[d][d];
    for (int i = 0; i < d; i++) {
      identity[i][i] = 1;
    }
    return identity;
  }

  /** Every training photo decoded as the fused encoder feeds its ResNet part: at the base's side, area-averaged down. */
  private static List<float[][]> decodeViews(List<Listing> listings, List<byte[]> photos, Options options, int baseSide,
      int side) {
    int perListing = 1 + options.views().count() + options.reshoots();
    ImagePipeline pipeline = new ImagePipeline(baseSide);
    List<Integer> rows = java.util.stream.IntStream.range(0, listings.size()).boxed().toList();
    return ImageEncoderTrainer.inParallel(rows, l -> {
      float[][] row = new float[perListing][];
      for (int v = 0; v < perListing; v++) {
        byte[] bytes = FusionFeatures.viewPhoto(listings, photos, options.views(), l, v);
        row[v] = ChwDownscale.of(pipeline.decodeChw(bytes, listings.get(l).id() + " view " + v), baseSide, baseSide / side);
      }
      return row;
    }, options.workers(), "decoding the training photos");
  }

  /** A copy of the base descriptor with the tuned ResNet in place of its ResNet part. */
  private static void writeFused(Path modelsDir, ModelDescriptor baseDescriptor, Options options, String oldResnet,
      double resnetWeight) {
    try {
      ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ObjectNode d = (ObjectNode) json.readTree(baseDescriptor.location().toFile());
      d.put("id", options.fusedId());
      for (var part : (ArrayNode) d.path("parts")) {
        if (oldResnet.equals(part.path("id").asText())) {
          ((ObjectNode) part).put("id", options.resnetId());
        }
      }
      // The base's own notes (its weight choice, measurements, speed) are about the base, not this model.
      d.retain("id", "kind", "engine", "format", "architecture", "parts", "input", "output", "licence");
      d.put("source", "fixed fusion of " + options.baseId() + "'s parts, its ResNet part fine-tuned for a "
          + resnetWeight + " share of the cosine by facet train-encoder --complement (" + options.resnetId() + ")");
      d.put("architecture", d.path("architecture").asText() + "; the ResNet part is " + options.resnetId()
          + ", tuned for this fusion");
      Path target = modelsDir.resolve(options.fusedId() + ".json");
      Path tmp = modelsDir.resolve(options.fusedId() + ".json.tmp");
      json.writeValue(tmp.toFile(), d);
      ImageEncoderTrainer.move(tmp, target);
    } catch (IOException e) {
      throw new FacetException("cannot write " + options.fusedId() + ".json into " + modelsDir + ": " + e.getMessage(), e);
    }
  }
}
