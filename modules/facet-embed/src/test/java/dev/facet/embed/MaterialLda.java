package dev.facet.embed;

import java.util.List;

/**
 * Linear discriminant directions of one part's slice for a listing label (material): whiten by the
 * within-class covariance (shrunk towards the identity), keep the top directions of the between-class
 * covariance. Fitted on training views of the catalog's listings, so it is a learned part.
 */
final class MaterialLda {
  private MaterialLda() {}

  static CentredProjection fit(float[][][] views, List<String> labels, int from, int dim, double shrink) {
    List<String> classes = labels.stream().distinct().sorted().toList();
    double[][] classMean = new double[classes.size()][dim];
    int[] count = new int[classes.size()];
    double[] mean = new double[dim];
    int n = 0;
    for (int l = 0; l < views.length; l++) {
      int c = classes.indexOf(labels.get(l));
      for (float[] row : views[l]) {
        float[] u = PartMaps.unit(row, from, dim, null);
        for (int i = 0; i < dim; i++) {
          classMean[c][i] += u[i];
          mean[i] += u[i];
        }
        count[c]++;
        n++;
      }
    }
    for (int i = 0; i < dim; i++) {
      mean[i] /= n;
      for (int c = 0; c < classes.size(); c++) {
        classMean[c][i] /= count[c];
      }
    }
    double[][] within = new double[dim][dim];
    for (int l = 0; l < views.length; l++) {
      double[] mu = classMean[classes.indexOf(labels.get(l))];
      for (float[] row : views[l]) {
        float[] u = PartMaps.unit(row, from, dim, null);
        double[] d = new double[dim];
        for (int i = 0; i < dim; i++) {
          d[i] = u[i] - mu[i];
        }
        outer(within, d, 1.0 / n);
      }
    }
    double[][] between = new double[dim][dim];
    for (int c = 0; c < classes.size(); c++) {
      double[] d = new double[dim];
      for (int i = 0; i < dim; i++) {
        d[i] = classMean[c][i] - mean[i];
      }
      outer(between, d, count[c] / (double) n);
    }
    double[][] w = SymmetricEigen.inversePower(within, shrink, 0.5);
    double[][] m = multiply(multiply(w, between), w);
    double[][] top = SymmetricEigen.decompose(m, new double[dim]);
    return CentredProjection.through(top, classes.size() - 1, w, from, dim, mean);
  }

  private static void outer(double[][] m, double[] d, double scale) {
    for (int i = 0; i < d.length; i++) {
      for (int j = 0; j < d.length; j++) {
        m[i][j] += d[i] * d[j] * scale;
      }
    }
  }

  private static double[][] multiply(double[][] a, double[][] b) {
    double[][] out = new double[a.length][b[0].length];
    for (int i = 0; i < a.length; i++) {
      for (int k = 0; k < b.length; k++) {
        double aik = a[i][k];
        for (int j = 0; j < b[0].length; j++) {
          out[i][j] += aik * b[k][j];
        }
      }
    }
    return out;
  }
}
