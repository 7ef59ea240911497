package dev.facet.embed;

import java.util.function.UnaryOperator;

/**
 * What a fitted part map ({@link LearnedWhitening}, {@link MaterialLda}) does to a row: takes its part's unit
 * vector, subtracts the fitted mean, applies the fitted rows and L2-normalises the result.
 */
final class CentredProjection {
  private CentredProjection() {}

  /** {@code m · (u − mean)}. */
  static double[] apply(double[][] m, float[] u, double[] mean) {
    double[] y = new double[m.length];
    for (int r = 0; r < m.length; r++) {
      double s = 0;
      for (int i = 0; i < u.length; i++) {
        s += m[r][i] * (u[i] - mean[i]);
      }
      y[r] = s;
    }
    return y;
  }

  /** Rows {@code [from, from + dim)} of each input mapped by {@code rows} around {@code mean}, unit length. */
  static UnaryOperator<float[][]> map(int from, int dim, double[] mean, double[][] rows) {
    return x -> {
      float[][] out = new float[x.length][];
      for (int r = 0; r < x.length; r++) {
        double[] y = apply(rows, PartMaps.unit(x[r], from, dim, null), mean);
        double n = 0;
        for (double v : y) {
          n += v * v;
        }
        float[] o = new float[y.length];
        for (int i = 0; i < y.length; i++) {
          o[i] = (float) (y[i] / Math.sqrt(Math.max(n, 1e-24)));
        }
        out[r] = o;
      }
      return out;
    };
  }
}
