package dev.facet.embed;

/** Small vector helpers shared by the encoders and the benchmark. */
final class Vectors {
  private Vectors() {}

  /** Scales {@code v} in place to unit length; a zero vector stays zero rather than becoming NaN. */
  static float[] l2Normalize(float[] v) {
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

  static double dot(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("length mismatch: " + a.length + " vs " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Splits a row-major {@code rows × dim} array into rows, normalizing each. */
  static float[][] normalizedRows(float[] flat, int rows, int dim) {
    if (flat.length != rows * dim) {
      throw new IllegalStateException("expected " + rows + "x" + dim + " values, got " + flat.length);
    }
    float[][] out = new float[rows][];
    for (int r = 0; r < rows; r++) {
      float[] row = new float[dim];
      System.arraycopy(flat, r * dim, row, 0, dim);
      out[r] = l2Normalize(row);
    }
    return out;
  }
}
