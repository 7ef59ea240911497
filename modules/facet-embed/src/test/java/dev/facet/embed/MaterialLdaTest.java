package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The learned material part of the fusion-variant harness: when the label shows along a weak
 * direction and a strong nuisance varies freely, the LDA map keeps the label and drops the nuisance.
 */
class MaterialLdaTest {
  private static final int DIM = 12;

  @Test
  void keepsTheLabelDirectionAndDropsTheNuisance() {
    Random random = new Random(5);
    int listings = 60;
    float[][][] views = new float[listings][3][];
    List<String> labels = new ArrayList<>();
    for (int l = 0; l < listings; l++) {
      boolean gold = l % 2 == 0;
      labels.add(gold ? "gold" : "silver");
      for (int v = 0; v < 3; v++) {
        float[] x = new float[DIM];
        for (int i = 0; i < DIM; i++) {
          x[i] = (float) (1 + random.nextGaussian() * (i == 0 ? 1.0 : 0.05));
        }
        x[1] += gold ? 0.15f : -0.15f;
        views[l][v] = x;
      }
    }
    CentredProjection lda = MaterialLda.fit(views, labels, 0, DIM, 0.1);
    float[][] firstViews = new float[listings][];
    for (int l = 0; l < listings; l++) {
      firstViews[l] = views[l][0];
    }
    float[][] mapped = lda.map().apply(firstViews);
    assertThat(mapped[0]).hasSize(1);
    int agree = 0;
    for (int l = 0; l < listings; l++) {
      boolean positive = mapped[l][0] > 0;
      agree += positive == (mapped[0][0] > 0) == (l % 2 == 0) ? 1 : 0;
    }
    assertThat(agree).isGreaterThanOrEqualTo(listings - 2);
  }
}
