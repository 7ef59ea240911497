package dev.facet.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The frozen part of a fixed-weight fused image vector beside which {@link ImageEncoderTrainer}
 * trains the catalog ResNet ({@link ComplementTraining}). The fused cosine of two photos is
 * {@code w · cos(partner) + (1 − w) · cos(projected ResNet)}; the terms added to the trainer's loss
 * are the instance and shared-attribute InfoNCE over that fused cosine, so the ResNet learns to
 * separate the listings the frozen part confuses, at the share of the cosine it will have when
 * served, rather than to be a good retriever on its own.
 */
final class FusionPartner {
  private final float[][][] vectors;
  private final double weight;
  private final float[] projection;
  private final int in;
  private final int out;
  private final float temperature;
  private final float lossWeight;

  /**
   * @param vectors {@code vectors[l][v]}: the frozen part's served (projected, unit) vector of photo
   *     {@code v} of listing {@code l}, laid out as the trainer's photos
   * @param weight the frozen part's share of the fused cosine, in (0, 1)
   * @param resnetProjection the ResNet part's served projection, {@code [out][in]} (its columns)
   * @param temperature of the fused InfoNCE
   * @param lossWeight the term's weight in the trainer's loss
   */
  FusionPartner(float[][][] vectors, double weight, float[][] resnetProjection, float temperature, float lossWeight) {
    if (!(weight > 0 && weight < 1) || !(temperature > 0) || !(lossWeight > 0)) {
      throw new IllegalArgumentException("fusion partner: weight " + weight + ", temperature " + temperature + ", loss weight "
          + lossWeight);
    }
    this.vectors = vectors;
    this.weight = weight;
    this.out = resnetProjection.length;
    this.in = resnetProjection[0].length;
    this.projection = new float[in * out];
    for (int c = 0; c < out; c++) {
      for (int i = 0; i < in; i++) {
        projection[i * out + c] = resnetProjection[c][i];
      }
    }
    this.temperature = temperature;
    this.lossWeight = lossWeight;
  }

  /** Photos per listing the partner has vectors of. */
  int views() {
    return vectors[0].length;
  }

  /**
   * The fused instance term of one step.
   *
   * @param embedding the ResNet's unit vectors of the step's {@code 2n} photos
   * @param listing listing of each photo
   * @param view view index of each photo
   * @param instance the trainer's instance targets ({@link ImageEncoderTrainer#instanceTargets})
   * @param related the trainer's shared-attribute targets ({@link ImageEncoderTrainer#relatedTargets}), so the fused
   *     vector's neighbours share category and material, not only the ResNet's
   */
  NDArray loss(NDArray embedding, int[] listing, int[] view, NDArray instance, NDArray related, NDManager m) {
    int n2 = listing.length;
    NDArray frozen = m.create(frozenCosines(listing, view), new Shape(n2, n2));
    NDArray p = m.create(projection, new Shape(in, out));
    NDArray own = ImageEncoderTrainer.unit(embedding.matMul(p));
    NDArray fused = frozen.mul(ImageEncoderTrainer.scalar(m, (float) weight))
        .add(own.matMul(own.transpose()).mul(ImageEncoderTrainer.scalar(m, (float) (1 - weight))));
    NDArray logits = fused.div(ImageEncoderTrainer.scalar(m, temperature)).sub(m.eye(n2).mul(1e4f));
    NDArray terms = ImageEncoderTrainer.softCrossEntropy(logits, instance)
        .add(ImageEncoderTrainer.softCrossEntropy(logits, related));
    return terms.mul(ImageEncoderTrainer.scalar(m, lossWeight));
  }

  float[] frozenCosines(int[] listing, int[] view) {
    int n2 = listing.length;
    float[] out = new float[n2 * n2];
    for (int i = 0; i < n2; i++) {
      float[] a = vectors[listing[i]][view[i]];
      for (int j = i; j < n2; j++) {
        float c = (float) Vectors.dot(a, vectors[listing[j]][view[j]]);
        out[i * n2 + j] = c;
        out[j * n2 + i] = c;
      }
    }
    return out;
  }

  String describe() {
    return String.format("fused instance and shared-attribute contrastive: cosine %.2f x frozen part + %.2f x this network projected to %d dims "
        + "(T=%s, weight %s)", weight, 1 - weight, out, temperature, lossWeight);
  }
}
