package dev.facet.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several image encoders run on the same photo, their unit vectors weighted and concatenated:
 * part {@code i} is scaled by {@code sqrt(w_i)} with the weights summing to one, so the result is a
 * unit vector and its cosine with another is {@code sum w_i cos_i}. The default image encoder fuses
 * an ImageNet-pretrained trunk (how real photographs look) with the catalog-trained ResNet (what
 * tells this catalog's materials and categories apart). A part may be mapped to fewer dimensions by
 * a fixed {@link RandomProjection} ({@code dim} in the descriptor), because the index bounds the
 * image vector (image and text together form the fused index vector).
 *
 * <p>Instead of fixed weights and projections, a descriptor may name a trained {@link FusionHead}
 * (its {@code weights} and {@code sha256}): the parts' unit vectors, concatenated, are then mapped
 * by the head ({@link FusionHeadTrainer}, {@code facet train-encoder --fusion-head}).
 *
 * <p>The photo is decoded once at {@link #inputSize()}; a part with a smaller input gets it
 * area-averaged down by an integer factor ({@link ChwDownscale}). Thread-safe when its parts are.
 */
public final class FusedImageEncoder implements ImageEncoder {
  /** Id of the fixed-weight fusion, {@code models/image-fused.json}, which fusion heads are trained from. */
  public static final String FIXED_ID = "image-fused";
  /** Id of the fusion head {@code facet train-encoder --fusion-head} writes by default. */
  public static final String TRAINED_ID = "image-fused-trained";
  /**
   * Id of the fixed fusion whose ResNet part {@code facet train-encoder --complement} tuned for its
   * share of the cosine ({@link ComplementTraining}).
   */
  public static final String COMPLEMENT_ID = "image-fused-complement";
  /**
   * Id of the default image descriptor: the fusion with the tuned ResNet part (side-by-side figures
   * in docs/IMAGE-ENCODERS.md, the variants measured in docs/FUSION-VARIANTS.md).
   */
  public static final String DEFAULT_ID = COMPLEMENT_ID;
  /** Descriptor format of fused encoders. */
  static final String FORMAT = "fused";
  /** Key, in a part of a trained fusion's descriptor, of the part's weights checksum the head was trained over. */
  static final String PART_CHECKSUM = "trainedOverSha256";

  /**
   * One fused encoder.
   *
   * @param id descriptor id of the part, for messages
   * @param encoder the part's encoder
   * @param weight its share of the cosine, in (0, 1]
   * @param projection maps the part's vectors to fewer dimensions, or null to keep them
   * @param sha256 its descriptor's weights checksum, or null when unknown (a user's file, a test part)
   */
  record Part(String id, ImageEncoder encoder, double weight, RandomProjection projection, String sha256) {
    Part(String id, ImageEncoder encoder, double weight) {
      this(id, encoder, weight, null);
    }

    Part(String id, ImageEncoder encoder, double weight, RandomProjection projection) {
      this(id, encoder, weight, projection, null);
    }

    int dimension() {
      return projection == null ? encoder.dimension() : projection.outputDim();
    }
  }

  private final String name;
  private final List<Part> parts;
  private final float[] scales;
  private final int inputSize;
  private final int dimension;
  private final FusionHead head;

  /**
   * @param parts encoders whose input sides divide {@code inputSize}; weights positive and summing to 1
   * @throws IllegalArgumentException when the parts do not fit together
   */
  FusedImageEncoder(String name, List<Part> parts, int inputSize) {
    this(name, parts, inputSize, null);
  }

  /**
   * @param head maps the parts' concatenated (unprojected) vectors to the output, or null for the
   *     fixed weighted concatenation
   */
  FusedImageEncoder(String name, List<Part> parts, int inputSize, FusionHead head) {
    this.name = Objects.requireNonNull(name, "name");
    this.parts = List.copyOf(parts);
    this.inputSize = inputSize;
    if (this.parts.isEmpty()) {
      throw new IllegalArgumentException("fused image model " + name + " has no parts");
    }
    double total = 0;
    int dim = 0;
    scales = new float[this.parts.size()];
    for (int i = 0; i < this.parts.size(); i++) {
      Part p = this.parts.get(i);
      int side = p.encoder().inputSize();
      if (!(p.weight() > 0) || side > inputSize || inputSize % side != 0) {
        throw new IllegalArgumentException("fused image model " + name + ": part " + p.id() + " needs a weight > 0 and an input side"
            + " dividing " + inputSize + " (weight " + p.weight() + ", side " + side + ")");
      }
      total += p.weight();
      dim += p.dimension();
      scales[i] = (float) Math.sqrt(p.weight());
    }
    if (Math.abs(total - 1) > 1e-6) {
      throw new IllegalArgumentException("fused image model " + name + ": part weights must sum to 1, got " + total);
    }
    this.head = head;
    this.dimension = head == null ? dim : headDimension(head);
  }

  private int headDimension(FusionHead h) {
    int in = 0;
    for (Part p : parts) {
      if (p.projection() != null) {
        throw new IllegalArgumentException("fused image model " + name + ": part " + p.id() + " has a 'dim' but a trained head maps the parts");
      }
      in += p.encoder().dimension();
    }
    if (in != h.inputDim()) {
      throw new IllegalArgumentException("fused image model " + name + ": the parts give " + in + " values, its head expects " + h.inputDim());
    }
    return h.outputDim();
  }

  /**
   * Opens a {@code fused} descriptor: its {@code parts} array names descriptors in the same
   * directory and their weights. Parts opened before a failing one are closed.
   *
   * @throws FacetException naming the descriptor and the part that is wrong
   */
  public static FusedImageEncoder open(ModelDescriptor descriptor, Device device) {
    if (descriptor.kind() != ModelDescriptor.Kind.IMAGE || !FORMAT.equals(descriptor.format())) {
      throw new FacetException("model '" + descriptor.id() + "' (" + descriptor.location() + ") is not a fused image model");
    }
    Path dir = descriptor.location().toAbsolutePath().getParent();
    List<Part> parts = new ArrayList<>();
    try {
      for (JsonNode node : readParts(descriptor)) {
        String id = node.path("id").asText("");
        double weight = node.path("weight").asDouble(Double.NaN);
        if (id.isBlank() || id.equals(descriptor.id())) {
          throw new FacetException("model descriptor " + descriptor.location() + ": every part needs an 'id' of another descriptor");
        }
        ModelDescriptor partDescriptor = ModelDescriptorReader.find(dir, id);
        if (FORMAT.equals(partDescriptor.format())) {
          // Checked by format, not by the ids of the committed fusions: a fused part would nest fusions
          // (and a cycle of them would never finish opening).
          throw new FacetException("model descriptor " + descriptor.location() + ": part '" + id
              + "' is itself a fused model; every part must be a single network");
        }
        requireTrainedOverThisPart(descriptor, node, partDescriptor);
        ImageEncoder encoder = ImageEncoders.open(partDescriptor, device);
        parts.add(new Part(id, encoder, weight, projection(node, encoder, descriptor), partDescriptor.sha256()));
      }
      FusionHead head = descriptor.weights().isEmpty() ? null : FusionHead.load(ModelFiles.weights(descriptor, null));
      FusedImageEncoder fused = new FusedImageEncoder(descriptor.id(), parts, descriptor.input().size(), head);
      if (fused.dimension() != descriptor.outputDim()) {
        throw new FacetException("model descriptor " + descriptor.location() + ": parts give " + fused.dimension()
            + "-dim vectors but output.dim is " + descriptor.outputDim());
      }
      return fused;
    } catch (RuntimeException e) {
      parts.forEach(p -> p.encoder().close());
      if (e instanceof FacetException fe) {
        throw fe;
      }
      throw new FacetException("model descriptor " + descriptor.location() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A trained head maps the vectors of the part weights it was trained over; the same ids with
   * retrained weights ({@code facet train-encoder} rewrites the catalog ResNet in place) would give
   * vectors the head has never seen, and searches that quietly get worse. So a part that records the
   * checksum it was trained over ({@value #PART_CHECKSUM}) must still have it.
   */
  private static void requireTrainedOverThisPart(ModelDescriptor descriptor, JsonNode node, ModelDescriptor partDescriptor) {
    String trainedOver = node.path(PART_CHECKSUM).asText("");
    if (trainedOver.isEmpty() || trainedOver.equalsIgnoreCase(String.valueOf(partDescriptor.sha256()))) {
      return;
    }
    throw new FacetException("model descriptor " + descriptor.location() + ": its head was trained over part '"
        + partDescriptor.id() + "' with weights sha256 " + trainedOver + ", but that part's descriptor now gives "
        + partDescriptor.sha256() + "; retrain the head (facet train-encoder --fusion-head) or restore the part's weights");
  }

  /** A part's optional {@code dim} (fewer dimensions, by a random projection seeded by {@code projectionSeed}). */
  private static RandomProjection projection(JsonNode node, ImageEncoder encoder, ModelDescriptor descriptor) {
    if (!node.has("dim") || node.path("dim").asInt() == encoder.dimension()) {
      return null;
    }
    int dim = node.path("dim").asInt(0);
    if (dim < 1 || dim > encoder.dimension()) {
      throw new FacetException("model descriptor " + descriptor.location() + ": part '" + node.path("id").asText()
          + "' has dim " + node.path("dim") + " but its encoder gives " + encoder.dimension() + " (dim must be 1.." + encoder.dimension() + ")");
    }
    return new RandomProjection(encoder.dimension(), dim, node.path("projectionSeed").asLong(1L));
  }

  private static JsonNode readParts(ModelDescriptor descriptor) {
    JsonNode parts;
    try {
      parts = new ObjectMapper().readTree(descriptor.location().toFile()).path("parts");
    } catch (IOException e) {
      throw new FacetException("model descriptor " + descriptor.location() + " is unreadable: " + e.getMessage(), e);
    }
    if (!parts.isArray() || parts.isEmpty()) {
      throw new FacetException("model descriptor " + descriptor.location() + ": a fused model needs a non-empty 'parts' array");
    }
    return parts;
  }

  /** The parts, in the order their vectors are concatenated. */
  List<Part> parts() {
    return parts;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public float[][] encode(List<float[]> chwImages) {
    ImageBatchTranslator.checkInputs(chwImages, inputSize);
    List<float[][]> perPart = new ArrayList<>(parts.size());
    for (int i = 0; i < parts.size(); i++) {
      perPart.add(encodeUnprojected(i, chwImages));
    }
    return fuse(perPart);
  }

  /** The output vectors of the parts' own vectors ({@code perPart.get(i)} from part {@code i}'s encoder). */
  float[][] fuse(List<float[][]> perPart) {
    if (head != null) {
      return head.apply(perPart);
    }
    List<float[][]> projected = new ArrayList<>(perPart.size());
    for (int i = 0; i < perPart.size(); i++) {
      projected.add(project(i, perPart.get(i)));
    }
    return concat(projected);
  }

  /** The trained head, or null when the parts are fused by fixed weights. */
  FusionHead head() {
    return head;
  }

  /** Part {@code i}'s own encoder output (what the part's descriptor alone would give) for images at this side. */
  float[][] encodeUnprojected(int i, List<float[]> chwImages) {
    ImageEncoder encoder = parts.get(i).encoder();
    int factor = inputSize / encoder.inputSize();
    return encoder.encode(factor == 1 ? chwImages : ChwDownscale.all(chwImages, inputSize, factor));
  }

  /** Part {@code i}'s projection of its encoder's vectors (the vectors themselves when it has none). */
  private float[][] project(int i, float[][] vectors) {
    RandomProjection projection = parts.get(i).projection();
    return projection == null ? vectors : projection.apply(vectors);
  }

  /** The weighted concatenation of the parts' projected vectors. */
  private float[][] concat(List<float[][]> perPart) {
    int n = perPart.getFirst().length;
    float[][] out = new float[n][dimension];
    int offset = 0;
    for (int i = 0; i < parts.size(); i++) {
      float[][] vectors = perPart.get(i);
      for (int r = 0; r < n; r++) {
        float[] v = vectors[r];
        for (int j = 0; j < v.length; j++) {
          out[r][offset + j] = v[j] * scales[i];
        }
      }
      offset += parts.get(i).dimension();
    }
    return out;
  }

  @Override
  public void close() {
    parts.forEach(p -> p.encoder().close());
  }

  @Override
  public String toString() {
    return "fused image model " + name;
  }
}
