package dev.facet.embed;

import java.util.function.UnaryOperator;

/** Maps of one part's slice of the concatenated features, fitted on a set of rows: mean, PCA. */
final class PartMaps {
  private final int from;
  private final int dim;
  private final double[] mean;
  /** Eigenvectors of the centered covariance, by decreasing eigenvalue: {@code vectors[k]}. */
  private final double[][] vectors;
  private final double[] values;
  /** Same for the uncentered second moment. */
  private final double[][] rawVectors;

  private PartMaps(int from, int dim, double[] mean, double[][] vectors, double[] values, double[][] rawVectors) {
    this.from = from;
    this.dim = dim;
    this.mean = mean;
    this.vectors = vectors;
    this.values = values;
    this.rawVectors = rawVectors;
  }

  static PartMaps fit(float[][] rows, int from, int dim) {
    double[] mean = new double[dim];
    for (float[] r : rows) {
      float[] u = unit(r, from, dim, null);
      for (int i = 0; i < dim; i++) {
        mean[i] += u[i] / rows.length;
      }
    }
    double[][] cov = new double[dim][dim];
    double[][] second = new double[dim][dim];
    for (float[] r : rows) {
      float[] u = unit(r, from, dim, null);
      for (int i = 0; i < dim; i++) {
        double ci = u[i] - mean[i];
        for (int j = i; j < dim; j++) {
          cov[i][j] += ci * (u[j] - mean[j]) / rows.length;
          second[i][j] += (double) u[i] * u[j] / rows.length;
        }
      }
    }
    for (int i = 0; i < dim; i++) {
      for (int j = 0; j < i; j++) {
        cov[i][j] = cov[j][i];
        second[i][j] = second[j][i];
      }
    }
    double[] values = new double[dim];
    double[][] vectors = SymmetricEigen.decompose(cov, values);
    double[][] rawVectors = SymmetricEigen.decompose(second, new double[dim]);
    return new PartMaps(from, dim, mean, vectors, values, rawVectors);
  }

  /** The part's slice, optionally minus a mean, L2-normalised. */
  static float[] unit(float[] row, int from, int dim, double[] mean) {
    float[] u = new float[dim];
    double n = 0;
    for (int i = 0; i < dim; i++) {
      u[i] = (float) (row[from + i] - (mean == null ? 0 : mean[i]));
      n += u[i] * u[i];
    }
    float inv = (float) (1 / Math.sqrt(Math.max(n, 1e-24)));
    for (int i = 0; i < dim; i++) {
      u[i] *= inv;
    }
    return u;
  }

  UnaryOperator<float[][]> raw() {
    return x -> map(x, r -> unit(r, from, dim, null));
  }

  UnaryOperator<float[][]> centered() {
    return x -> map(x, r -> unit(r, from, dim, mean));
  }

  UnaryOperator<float[][]> random(int k, long seed) {
    RandomProjection p = new RandomProjection(dim, k, seed);
    return x -> p.apply(map(x, r -> unit(r, from, dim, null)));
  }

  /** Centered PCA to {@code k}, component {@code c} scaled by {@code value_c^-alpha} (0: plain PCA, 0.5: whitening). */
  UnaryOperator<float[][]> pca(int k, double alpha) {
    double floor = values[Math.min(k, values.length) - 1];
    return x -> map(x, r -> project(unit(r, from, dim, null), mean, vectors, k, alpha, floor));
  }

  /** Uncentered PCA (top eigenvectors of the second moment) to {@code k}. */
  UnaryOperator<float[][]> svd(int k) {
    return x -> map(x, r -> project(unit(r, from, dim, null), null, rawVectors, k, 0, 1));
  }

  private float[] project(float[] u, double[] m, double[][] basis, int k, double alpha, double floor) {
    float[] y = new float[k];
    double n = 0;
    for (int c = 0; c < k; c++) {
      double dot = 0;
      for (int i = 0; i < dim; i++) {
        dot += (u[i] - (m == null ? 0 : m[i])) * basis[c][i];
      }
      if (alpha > 0) {
        dot *= Math.pow(Math.max(values[c], floor), -alpha);
      }
      y[c] = (float) dot;
      n += dot * dot;
    }
    float inv = (float) (1 / Math.sqrt(Math.max(n, 1e-24)));
    for (int c = 0; c < k; c++) {
      y[c] *= inv;
    }
    return y;
  }

  private static float[][] map(float[][] x, java.util.function.Function<float[], float[]> f) {
    float[][] out = new float[x.length][];
    for (int r = 0; r < x.length; r++) {
      out[r] = f.apply(x[r]);
    }
    return out;
  }
}
