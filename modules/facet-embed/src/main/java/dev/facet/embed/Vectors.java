package dev.facet.embed;

import dev.facet.core.VectorMath;

/** The encoders' names for {@link VectorMath}'s operations. */
final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to unit length; a zero vector stays zero rather than becoming NaN. */
  static float[] l2Normalize(float[] v) {
    return VectorMath.normalize(v);
  }

  static double dot(float[] a, float[] b) {
    return VectorMath.dot(a, b);
  }

  /** Splits a row-major {@code rows × dim} array into rows, normalizing each. */
  static float[][] normalizedRows(float[] flat, int rows, int dim) {
    return VectorMath.normalizedRows(flat, rows, dim);
  }
}
