package dev.facet.embed;

import java.util.List;

/**
 * Turns decoded images into fixed-size, L2-normalized vectors. Inputs are channel-first RGB float
 * arrays of {@code 3 * inputSize() * inputSize()} values, ImageNet-normalized, as produced by
 * {@code dev.facet.catalog.image.ImagePipeline}. Implementations are thread-safe and hold native
 * resources until {@link #close()}.
 */
public interface ImageEncoder extends AutoCloseable {
  /** Length of every vector {@link #encode} returns. */
  int dimension();

  /** Side in pixels of the square inputs. */
  int inputSize();

  /**
   * Encodes {@code chwImages}, one vector per image in the same order.
   *
   * @throws IllegalArgumentException when an array does not have {@code 3 * inputSize()²} values
   * @return {@code chwImages.size()} unit vectors of length {@link #dimension()}
   */
  float[][] encode(List<float[]> chwImages);

  @Override
  void close();
}
