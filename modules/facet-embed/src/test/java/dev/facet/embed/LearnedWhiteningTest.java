package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Learned whitening as the fusion-variant harness fits it: when the views of one listing differ
 * mostly along a few nuisance directions, stronger than the differences between listings, plain
 * cosine confuses listings and the whitened map does not.
 */
class LearnedWhiteningTest {
  private static final int DIM = 24;
  private static final int LISTINGS = 80;

  @Test
  void suppressesTheNuisanceThatSeparatesViewsOfOneListing() {
    Random random = new Random(3);
    float[][][] views = new float[LISTINGS][4][];
    for (int l = 0; l < LISTINGS; l++) {
      double[] identity = new double[DIM];
      for (int i = 4; i < DIM; i++) {
        identity[i] = random.nextGaussian() * 0.3;
      }
      for (int v = 0; v < 4; v++) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
          x[i] = (float) (1 + identity[i] + (i < 4 ? random.nextGaussian() * 2 : random.nextGaussian() * 0.02));
        }
        views[l][v] = x;
      }
    }
    CentredProjection whitening = LearnedWhitening.fit(views, 0, DIM, 0.1);
    float[][] first = Arrays.stream(views).map(v -> v[0]).toArray(float[][]::new);
    float[][] second = Arrays.stream(views).map(v -> v[1]).toArray(float[][]::new);
    PartMaps raw = PartMaps.fit(first, 0, DIM);
    assertThat(top1(raw.raw().apply(second), raw.raw().apply(first))).isLessThan(0.5);
    assertThat(top1(whitening.map(DIM / 2).apply(second), whitening.map(DIM / 2).apply(first))).isGreaterThan(0.95);
  }

  private static double top1(float[][] queries, float[][] base) {
    List<float[]> b = Arrays.asList(base);
    int hits = 0;
    for (int i = 0; i < queries.length; i++) {
      hits += ReshootRetrieval.rankOf(queries[i], b, i) == 0 ? 1 : 0;
    }
    return hits / (double) queries.length;
  }
}
