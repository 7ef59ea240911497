package dev.facet.embed;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The offline default image encoder: a DJL {@code ResNetV1} trained on the catalog's own photos by
 * {@link ImageEncoderTrainer}, run by the PyTorch engine. Output vectors live in the text encoder's
 * space (the training aligns them with bge-small-zh vectors), L2-normalized.
 *
 * <p>Thread-safe: every call uses its own predictor and native memory scope.
 */
public final class ResNetImageEncoder extends BatchedImageEncoder {
  /** Id of the default descriptor, {@code models/image-resnet-catalog.json}. */
  public static final String DEFAULT_ID = "image-resnet-catalog";
  private final ModelDescriptor descriptor;
  private final Model model;

  private ResNetImageEncoder(ModelDescriptor descriptor, Model model) {
    super(descriptor.input().size());
    this.descriptor = descriptor;
    this.model = model;
  }

  /** Opens the default catalog-trained encoder described in {@code modelsDir}. */
  public static ResNetImageEncoder open(Path modelsDir, Device device) {
    return open(ModelDescriptorReader.find(modelsDir, DEFAULT_ID), device);
  }

  /**
   * Opens a catalog-trained encoder.
   *
   * @throws FacetException when the weights are missing, corrupt or belong to another network
   */
  public static ResNetImageEncoder open(ModelDescriptor descriptor, Device device) {
    Objects.requireNonNull(descriptor, "descriptor");
    if (descriptor.kind() != ModelDescriptor.Kind.IMAGE || !"djl-params".equals(descriptor.format())
        || !CatalogResNet.ARCHITECTURE.equals(descriptor.architecture())) {
      throw new FacetException("model '" + descriptor.id() + "' (" + descriptor.location()
          + ") is not a " + CatalogResNet.ARCHITECTURE + " image model in djl-params format");
    }
    Path weights = ModelFiles.weights(descriptor, null);
    ModelDescriptor.Input in = descriptor.input();
    Model model = Model.newInstance(descriptor.id(), Devices.pytorch(device), "PyTorch");
    try {
      Block block = CatalogResNet.encoder(in.size(), in.internalSize(), descriptor.outputDim());
      block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, in.size(), in.size()));
      try (InputStream raw = Files.newInputStream(weights);
          DataInputStream data = new DataInputStream(new BufferedInputStream(raw))) {
        block.loadParameters(model.getNDManager(), data);
      }
      model.setBlock(block);
      ResNetImageEncoder encoder = new ResNetImageEncoder(descriptor, model);
      encoder.encode(List.of(new float[3 * in.size() * in.size()])); // warm-up
      return encoder;
    } catch (IOException | MalformedModelException | RuntimeException e) {
      model.close();
      if (e instanceof FacetException fe) {
        throw fe;
      }
      throw new FacetException("cannot load image model '" + descriptor.id() + "' from " + weights
          + " (does it match " + descriptor.location() + "?): " + e.getMessage(), e);
    }
  }

  /** The descriptor this encoder was opened from. */
  public ModelDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public int dimension() {
    return descriptor.outputDim();
  }

  @Override
  Predictor<List<float[]>, float[][]> newPredictor() {
    return model.newPredictor(new ImageBatchTranslator(inputSize));
  }

  @Override
  String describe() {
    return "image model '" + descriptor.id() + "'";
  }

  @Override
  public void close() {
    model.close();
  }
}
