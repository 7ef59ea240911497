package dev.facet.model;

/** Small vector helpers shared by the model and the baselines. */
final class Scoring {
  private Scoring() {}

  static float dot(float[] a, float[] b) {
    float s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static void normalize(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    if (n > 0) {
      float inv = (float) (1 / Math.sqrt(n));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
    }
  }
}
