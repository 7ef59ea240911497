package dev.facet.model;

import java.util.stream.IntStream;

/**
 * Inverse of a symmetric positive-definite matrix by Gauss–Jordan elimination without pivoting (safe for
 * SPD matrices, whose pivots stay positive). Rows are eliminated in parallel, each by one task, so the
 * result does not depend on thread timing.
 */
final class SymmetricInverse {
  private SymmetricInverse() {}

  /** The inverse of {@code a} (overwritten); throws when a pivot is not positive (not SPD). */
  static double[][] invert(double[][] a) {
    int n = a.length;
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      if (a[i].length != n) {
        throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " of " + n);
      }
      inv[i][i] = 1;
    }
    for (int c = 0; c < n; c++) {
      double pivot = a[c][c];
      if (!(pivot > 0)) {
        throw new IllegalArgumentException("matrix is not positive definite (pivot " + pivot + " at " + c + ")");
      }
      double[] ac = a[c];
      double[] ic = inv[c];
      for (int j = 0; j < n; j++) {
        ac[j] /= pivot;
        ic[j] /= pivot;
      }
      int col = c;
      IntStream.range(0, n).parallel().forEach(r -> {
        double f = a[r][col];
        if (r != col && f != 0) {
          double[] ar = a[r];
          double[] ir = inv[r];
          for (int j = 0; j < n; j++) {
            ar[j] -= f * ac[j];
            ir[j] -= f * ic[j];
          }
        }
      });
    }
    return inv;
  }
}
