package dev.facet.embed;

import dev.facet.core.Device;
import dev.facet.core.FacetException;

/** Opens the right {@link ImageEncoder} implementation for a descriptor. */
public final class ImageEncoders {
  private ImageEncoders() {}

  /**
   * {@code djl-params} descriptors open a {@link ResNetImageEncoder}, {@code torchscript} ones a
   * {@link TorchScriptImageEncoder}, {@code fused} ones a {@link FusedImageEncoder} of other descriptors.
   *
   * @throws FacetException for other formats or when the model cannot be loaded
   */
  public static ImageEncoder open(ModelDescriptor descriptor, Device device) {
    return switch (descriptor.format()) {
      case "djl-params" -> ResNetImageEncoder.open(descriptor, device);
      case "torchscript" -> TorchScriptImageEncoder.open(descriptor, device);
      case FusedImageEncoder.FORMAT -> FusedImageEncoder.open(descriptor, device);
      default -> throw new FacetException("model descriptor " + descriptor.location() + ": unsupported image model format '"
          + descriptor.format() + "' (expected djl-params, torchscript or fused)");
    };
  }
}
