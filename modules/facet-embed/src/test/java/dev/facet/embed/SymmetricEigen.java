package dev.facet.embed;

/** Cyclic Jacobi eigen-decomposition of a small symmetric matrix. */
final class SymmetricEigen {
  private SymmetricEigen() {}

  /**
   * @param a symmetric, overwritten
   * @param values receives the eigenvalues, decreasing
   * @return eigenvectors as rows, in the order of {@code values}
   */
  static double[][] decompose(double[][] a, double[] values) {
    int n = a.length;
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 50; sweep++) {
      double off = 0;
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          off += a[p][q] * a[p][q];
        }
      }
      if (off < 1e-22) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          rotate(a, v, p, q);
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (x, y) -> Double.compare(a[y][y], a[x][x]));
    double[][] vectors = new double[n][n];
    for (int r = 0; r < n; r++) {
      int c = order[r];
      values[r] = a[c][c];
      for (int i = 0; i < n; i++) {
        vectors[r][i] = v[i][c];
      }
    }
    return vectors;
  }

  private static void rotate(double[][] a, double[][] v, int p, int q) {
    double apq = a[p][q];
    if (Math.abs(apq) < 1e-300) {
      return;
    }
    double theta = (a[q][q] - a[p][p]) / (2 * apq);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    int n = a.length;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  /**
   * {@code (C + shrink * mean(eig) * I)^{-power}} of a symmetric {@code c} (overwritten): power 1/2 whitens by C,
   * the shrink (scaled to the mean eigenvalue) keeps small eigenvalues from blowing up.
   */
  static double[][] inversePower(double[][] c, double shrink, double power) {
    int d = c.length;
    double[] values = new double[d];
    double[][] e = decompose(c, values);
    double avg = 0;
    for (double v : values) {
      avg += Math.max(v, 0) / d;
    }
    double[][] out = new double[d][d];
    for (int k = 0; k < d; k++) {
      double s = Math.pow(Math.max(values[k], 0) + shrink * avg, -power);
      for (int i = 0; i < d; i++) {
        double ei = e[k][i] * s;
        for (int j = 0; j < d; j++) {
          out[i][j] += ei * e[k][j];
        }
      }
    }
    return out;
  }
}
