package dev.facet.embed;

import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import dev.facet.core.FacetException;
import java.util.List;

/**
 * What the DJL image encoders share: inputs checked against the square input size, then forward passes of
 * at most {@link #MAX_BATCH} images through one predictor per call (closed with the call, so native memory
 * is released batch by batch).
 */
abstract class BatchedImageEncoder implements ImageEncoder {
  /** Images per forward pass when {@link #encode} is given more. */
  static final int MAX_BATCH = 32;

  final int inputSize;

  BatchedImageEncoder(int inputSize) {
    this.inputSize = inputSize;
  }

  @Override
  public int inputSize() {
    return inputSize;
  }

  @Override
  public final float[][] encode(List<float[]> chwImages) {
    ImageBatchTranslator.checkInputs(chwImages, inputSize);
    return encodeChecked(chwImages);
  }

  /** {@link #encode} without the input check, for inputs made here (e.g. a blank probe image). */
  final float[][] encodeChecked(List<float[]> chwImages) {
    float[][] out = new float[chwImages.size()][];
    try (Predictor<List<float[]>, float[][]> predictor = newPredictor()) {
      for (int from = 0; from < chwImages.size(); from += MAX_BATCH) {
        int to = Math.min(chwImages.size(), from + MAX_BATCH);
        float[][] part = predictor.predict(chwImages.subList(from, to));
        System.arraycopy(part, 0, out, from, part.length);
      }
    } catch (TranslateException e) {
      throw new FacetException(describe() + " failed: " + e.getMessage(), e);
    }
    return out;
  }

  /** A predictor taking a batch of CHW images to their vectors. */
  abstract Predictor<List<float[]>, float[][]> newPredictor();

  /** The model as error messages name it. */
  abstract String describe();
}
