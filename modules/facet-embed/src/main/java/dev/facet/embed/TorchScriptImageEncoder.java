package dev.facet.embed;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.Device;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A pretrained image network exported to TorchScript (for example a torchvision ResNet-50 with its
 * classifier replaced by identity, so the output is the pooled feature vector), run by the DJL
 * PyTorch engine. The file comes from a {@code models/} descriptor or directly from a path
 * ({@code --image-model PATH}); outputs are L2-normalized.
 *
 * <p>Thread-safe: every call uses its own predictor and native memory scope.
 */
public final class TorchScriptImageEncoder extends BatchedImageEncoder {
  private final ZooModel<List<float[]>, float[][]> model;
  private final String name;
  private final int dimension;

  private TorchScriptImageEncoder(ZooModel<List<float[]>, float[][]> model, String name, int inputSize, int expectedDim) {
    super(inputSize);
    this.model = model;
    this.name = name;
    // One forward pass on a blank image: learns the output size when no descriptor states it, and
    // pays TorchScript's first-call optimization cost here instead of on the first real batch.
    this.dimension = encodeChecked(List.of(new float[3 * inputSize * inputSize]))[0].length;
    if (expectedDim > 0 && expectedDim != dimension) {
      model.close();
      throw new FacetException("TorchScript model " + name + " returns " + dimension + "-dim vectors but its descriptor declares " + expectedDim);
    }
  }

  /** Opens the TorchScript file a descriptor names, verifying its checksum when one is given. */
  public static TorchScriptImageEncoder open(ModelDescriptor descriptor, Device device) {
    Objects.requireNonNull(descriptor, "descriptor");
    if (descriptor.kind() != ModelDescriptor.Kind.IMAGE || !"torchscript".equals(descriptor.format())) {
      throw new FacetException("model '" + descriptor.id() + "' (" + descriptor.location() + ") is not a TorchScript image model");
    }
    Path file = ModelFiles.weights(descriptor, null);
    return load(file, descriptor.input().size(), descriptor.outputDim(), device, descriptor.id());
  }

  /**
   * Opens a TorchScript file directly ({@code --image-model PATH}); the output dimension is taken
   * from the model itself.
   *
   * @param inputSize side of the square input the model expects, normally 224
   */
  public static TorchScriptImageEncoder open(Path file, int inputSize, Device device) {
    if (!Files.isRegularFile(file)) {
      throw new FacetException("TorchScript image model " + file + " is missing; export one with "
          + "`/usr/bin/python3 src/models/export-torchvision-resnet.py --arch resnet50 " + file + "`");
    }
    return load(file, inputSize, 0, device, file.getFileName().toString());
  }

  /**
   * The size of the vectors a TorchScript image file returns (one forward pass on a blank image at
   * the default input size), for sizing index fields before any image is encoded.
   */
  public static int outputDim(Path file, Device device) {
    try (TorchScriptImageEncoder encoder = open(file, ImagePipeline.DEFAULT_SIZE, device)) {
      return encoder.dimension();
    }
  }

  private static TorchScriptImageEncoder load(Path file, int inputSize, int expectedDim, Device device, String name) {
    try {
      ZooModel<List<float[]>, float[][]> model = Criteria.builder()
          .setTypes(listOfArrays(), float[][].class)
          .optModelPath(file)
          .optEngine("PyTorch")
          .optOption("mapLocation", "true")
          .optTranslator(new ImageBatchTranslator(inputSize))
          .optDevice(Devices.pytorch(device))
          .build()
          .loadModel();
      try {
        return new TorchScriptImageEncoder(model, name, inputSize, expectedDim);
      } catch (RuntimeException e) {
        model.close();
        throw e;
      }
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new FacetException("cannot load TorchScript image model " + file + ": " + e.getMessage(), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Class<List<float[]>> listOfArrays() {
    return (Class<List<float[]>>) (Class<?>) List.class;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  Predictor<List<float[]>, float[][]> newPredictor() {
    return model.newPredictor();
  }

  @Override
  String describe() {
    return "TorchScript image model " + name;
  }

  @Override
  public void close() {
    model.close();
  }
}
