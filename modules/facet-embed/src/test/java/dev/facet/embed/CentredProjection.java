package dev.facet.embed;

import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A fitted part map ({@link LearnedWhitening}, {@link MaterialLda}): takes a row's part as a unit
 * vector, subtracts the fitted mean, applies the fitted rows and L2-normalises the result.
 */
final class CentredProjection {
  private final int from;
  private final int dim;
  private final double[] mean;
  /** {@code rows x dim}: applied to {@code unit(x) - mean}. */
  private final double[][] rows;

  private CentredProjection(int from, int dim, double[] mean, double[][] rows) {
    this.from = from;
    this.dim = dim;
    this.mean = mean;
    this.rows = rows;
  }

  /**
   * The map of part {@code [from, from + dim)} whose rows are the first {@code k} directions of
   * {@code top} taken through {@code whiten}: row {@code c} is {@code top[c] · whiten}.
   */
  static CentredProjection through(double[][] top, int k, double[][] whiten, int from, int dim, double[] mean) {
    double[][] rows = new double[k][dim];
    for (int c = 0; c < k; c++) {
      for (int j = 0; j < dim; j++) {
        double t = top[c][j];
        for (int i = 0; i < dim; i++) {
          rows[c][i] += t * whiten[j][i];
        }
      }
    }
    return new CentredProjection(from, dim, mean, rows);
  }

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

  /** Every fitted row. */
  UnaryOperator<float[][]> map() {
    return map(rows.length);
  }

  /** The first {@code k} fitted rows: each input's part mapped around the mean, unit length. */
  UnaryOperator<float[][]> map(int k) {
    double[][] kept = Arrays.copyOf(rows, k);
    return x -> {
      float[][] out = new float[x.length][];
      for (int r = 0; r < x.length; r++) {
        double[] y = apply(kept, PartMaps.unit(x[r], from, dim, null), mean);
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
