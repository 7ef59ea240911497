package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Jacobi decomposition the fusion-variant harness fits PCA and learned whitening with. */
class SymmetricEigenTest {
  @Test
  void eigenpairsReconstructARandomSymmetricMatrixInDecreasingOrder() {
    int n = 30;
    Random random = new Random(7);
    double[][] a = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        a[i][j] = random.nextGaussian();
        a[j][i] = a[i][j];
      }
    }
    double[][] work = new double[n][];
    for (int i = 0; i < n; i++) {
      work[i] = a[i].clone();
    }
    double[] values = new double[n];
    double[][] vectors = SymmetricEigen.decompose(work, values);
    for (int k = 0; k < n; k++) {
      if (k > 0) {
        assertThat(values[k]).isLessThanOrEqualTo(values[k - 1]);
      }
      for (int i = 0; i < n; i++) {
        double av = 0;
        for (int j = 0; j < n; j++) {
          av += a[i][j] * vectors[k][j];
        }
        assertThat(av).isCloseTo(values[k] * vectors[k][i], within(1e-9));
      }
      for (int m = 0; m < n; m++) {
        double dot = 0;
        for (int i = 0; i < n; i++) {
          dot += vectors[k][i] * vectors[m][i];
        }
        assertThat(dot).isCloseTo(k == m ? 1 : 0, within(1e-9));
      }
    }
  }
}
