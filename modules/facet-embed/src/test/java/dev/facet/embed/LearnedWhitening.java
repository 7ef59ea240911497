package dev.facet.embed;

/**
 * Learned whitening of one part's slice (Radenović, Tolias, Chum 2016): whiten by the covariance of
 * differences between views of one listing (shrunk towards a multiple of the identity), then keep
 * the top {@code k} principal directions of the whitened features.
 */
final class LearnedWhitening {
  private LearnedWhitening() {}

  /**
   * @param views {@code views[l][v]} concatenated features of view v of listing l
   * @param shrink weight of the identity (scaled to the mean eigenvalue) mixed into the intra-listing covariance
   */
  static CentredProjection fit(float[][][] views, int from, int dim, double shrink) {
    return fit(views, from, dim, shrink, 0.5);
  }

  static CentredProjection fit(float[][][] views, int from, int dim, double shrink, double power) {
    int k = dim;
    int n = 0;
    double[] mean = new double[dim];
    double[][] intra = new double[dim][dim];
    int pairs = 0;
    for (float[][] listing : views) {
      float[][] u = new float[listing.length][];
      for (int v = 0; v < listing.length; v++) {
        u[v] = PartMaps.unit(listing[v], from, dim, null);
        for (int i = 0; i < dim; i++) {
          mean[i] += u[v][i];
        }
        n++;
      }
      for (int a = 0; a < u.length; a++) {
        for (int b = a + 1; b < u.length; b++) {
          addOuter(intra, u[a], u[b]);
          pairs++;
        }
      }
    }
    for (int i = 0; i < dim; i++) {
      mean[i] /= n;
    }
    symmetrize(intra, pairs);
    double[][] whiten = SymmetricEigen.inversePower(intra, shrink, power);
    double[][] between = new double[dim][dim];
    for (float[][] listing : views) {
      for (float[] row : listing) {
        double[] z = CentredProjection.apply(whiten, PartMaps.unit(row, from, dim, null), mean);
        addOuter(between, z);
      }
    }
    symmetrize(between, n);
    double[] values = new double[dim];
    double[][] top = SymmetricEigen.decompose(between, values);
    return CentredProjection.through(top, k, whiten, from, dim, mean);
  }

  private static void addOuter(double[][] m, float[] a, float[] b) {
    int d = a.length;
    double[] diff = new double[d];
    for (int i = 0; i < d; i++) {
      diff[i] = a[i] - b[i];
    }
    addOuter(m, diff);
  }

  private static void addOuter(double[][] m, double[] x) {
    int d = x.length;
    for (int i = 0; i < d; i++) {
      double xi = x[i];
      double[] row = m[i];
      for (int j = i; j < d; j++) {
        row[j] += xi * x[j];
      }
    }
  }

  private static void symmetrize(double[][] m, int count) {
    for (int i = 0; i < m.length; i++) {
      for (int j = i; j < m.length; j++) {
        m[i][j] /= count;
        m[j][i] = m[i][j];
      }
    }
  }
}
