package dev.facet.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Stacks CHW float arrays into one {@code [n, 3, size, size]} tensor and turns the model's
 * {@code [n, dim]} (or {@code [n, dim, 1, 1]}) output into L2-normalized rows.
 */
final class ImageBatchTranslator implements NoBatchifyTranslator<List<float[]>, float[][]> {
  private final int size;

  ImageBatchTranslator(int size) {
    this.size = size;
  }

  static void checkInputs(List<float[]> images, int size) {
    int expected = 3 * size * size;
    for (int i = 0; i < images.size(); i++) {
      float[] chw = images.get(i);
      if (chw == null || chw.length != expected) {
        throw new IllegalArgumentException("image " + i + " has " + (chw == null ? "no" : chw.length)
            + " values, expected 3x" + size + "x" + size + " = " + expected);
      }
    }
  }

  @Override
  public NDList processInput(TranslatorContext ctx, List<float[]> images) {
    int plane = 3 * size * size;
    FloatBuffer buffer = FloatBuffer.allocate(images.size() * plane);
    for (float[] chw : images) {
      buffer.put(chw);
    }
    buffer.flip();
    NDArray x = ctx.getNDManager().create(buffer, new Shape(images.size(), 3, size, size));
    return new NDList(x);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList list) {
    NDArray y = list.singletonOrThrow();
    int n = (int) y.getShape().get(0);
    float[] flat = y.toFloatArray();
    return Vectors.normalizedRows(flat, n, flat.length / n);
  }
}
