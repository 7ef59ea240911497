package dev.facet.core;

/**
 * The vector arithmetic every module shares: dot products accumulated in double (so that a sum over
 * hundreds of dimensions does not depend on the order float rounding happens in) and in-place L2
 * normalisation that leaves a zero vector zero rather than NaN.
 */
public final class VectorMath {
  private VectorMath() {}

  /**
   * The dot product of two vectors of the same length.
   *
   * @throws FacetException when the lengths differ (e.g. an index built for another model's vector size)
   */
  public static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new FacetException("vector sizes differ: " + a.length + " vs " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Scales {@code v} in place to unit length and returns it; a zero vector stays zero. */
  public static float[] normalize(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    if (sum > 0) {
      float inv = (float) (1.0 / Math.sqrt(sum));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
    return v;
  }

  /** Splits a row-major {@code rows × dim} array into rows, normalising each. */
  public static float[][] normalizedRows(float[] flat, int rows, int dim) {
    if (flat.length != rows * dim) {
      throw new IllegalStateException("expected " + rows + "x" + dim + " values, got " + flat.length);
    }
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] row = new float[dim];
      System.arraycopy(flat, r * dim, row, 0, dim);
      out[r] = normalize(row);
    }
    return out;
  }
}
