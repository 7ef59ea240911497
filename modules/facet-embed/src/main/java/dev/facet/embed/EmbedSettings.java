package dev.facet.embed;

import java.nio.file.Path;

/**
 * Which models {@link EmbedModule} opens and how it batches.
 *
 * @param textModelId descriptor id of the text model in {@code models/}
 * @param imageModelId descriptor id of the image model in {@code models/}
 * @param imageModelFile a TorchScript image model to use instead of {@code imageModelId}
 *     ({@code --image-model PATH}), or null
 * @param batchSize listings per forward pass in the extraction pipeline
 */
public record EmbedSettings(String textModelId, String imageModelId, Path imageModelFile, int batchSize) {
  public EmbedSettings {
    if (textModelId == null || imageModelId == null || batchSize < 1) {
      throw new IllegalArgumentException("text and image model ids are required and batchSize must be >= 1");
    }
  }

  /**
   * bge-small-zh text model, the fused image model (ImageNet-pretrained trunk and catalog-trained
   * ResNet fused by a trained head, {@link FusedImageEncoder#DEFAULT_ID}), batches of 32.
   */
  public static EmbedSettings defaults() {
    return new EmbedSettings(BertTextEncoder.DEFAULT_ID, FusedImageEncoder.DEFAULT_ID, null, 32);
  }

  /** The same settings with a TorchScript image model file ({@code --image-model PATH}). */
  public EmbedSettings withImageModelFile(Path file) {
    return new EmbedSettings(textModelId, imageModelId, file, batchSize);
  }

  /** The same settings with another image descriptor id. */
  public EmbedSettings withImageModelId(String id) {
    return new EmbedSettings(textModelId, id, null, batchSize);
  }

  public EmbedSettings withBatchSize(int value) {
    return new EmbedSettings(textModelId, imageModelId, imageModelFile, value);
  }
}
