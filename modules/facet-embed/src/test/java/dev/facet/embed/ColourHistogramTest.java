package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.image.ImagePipeline;
import org.junit.jupiter.api.Test;

/**
 * The colour part of the fusion-variant harness: the metal's colour decides the descriptor, not the
 * backdrop or the shadow cast on it, as in the catalog's renders (a disc of metal on a tinted
 * gradient with a large dark ellipse under it).
 */
class ColourHistogramTest {
  private static final int SIDE = 64;
  private static final float[] GOLD = {214 / 255f, 172 / 255f, 62 / 255f};
  private static final float[] ROSE = {219 / 255f, 150 / 255f, 134 / 255f};
  private static final float[] SILVER = {170 / 255f, 172 / 255f, 176 / 255f};
  private static final float[] LILAC = {0.85f, 0.72f, 0.9f};
  private static final float[] SKY = {0.7f, 0.8f, 0.95f};

  @Test
  void theMetalDecidesNotTheBackdropOrItsShadow() {
    float[] goldOnLilac = ColourHistogram.describe(photo(GOLD, LILAC), SIDE);
    float[] goldOnSky = ColourHistogram.describe(photo(GOLD, SKY), SIDE);
    float[] roseOnLilac = ColourHistogram.describe(photo(ROSE, LILAC), SIDE);
    float[] silverOnLilac = ColourHistogram.describe(photo(SILVER, LILAC), SIDE);
    assertThat(dot(goldOnLilac, goldOnSky)).isGreaterThan(0.9);
    assertThat(dot(goldOnLilac, roseOnLilac)).isLessThan(0.5);
    assertThat(dot(goldOnLilac, silverOnLilac)).isLessThan(0.5);
    assertThat(dot(roseOnLilac, silverOnLilac)).isLessThan(0.5);
  }

  @Test
  void givesUnitVectorsEvenForAFlatImage() {
    float[] flat = new float[3 * SIDE * SIDE];
    fill(flat, LILAC, (x, y) -> true);
    float[] d = ColourHistogram.describe(normalise(flat), SIDE);
    assertThat(d).hasSize(ColourHistogram.DIM);
    assertThat(dot(d, d)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    assertThat(dot(ColourHistogram.describe(photo(GOLD, SKY), SIDE), ColourHistogram.describe(photo(GOLD, SKY), SIDE)))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void rejectsAnImageOfTheWrongSize() {
    assertThatThrownBy(() -> ColourHistogram.describe(new float[10], SIDE)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64-pixel");
  }

  interface Region {
    boolean contains(int x, int y);
  }

  /** A backdrop graded left to right, a shadow ellipse (the backdrop at 55%), a metal disc with a lit side. */
  private static float[] photo(float[] metal, float[] backdrop) {
    int n = SIDE * SIDE;
    float[] rgb = new float[3 * n];
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        float grade = 1 - 0.2f * x / SIDE;
        boolean shadow = sq((x - 34) / 22.0) + sq((y - 40) / 12.0) < 1;
        for (int c = 0; c < 3; c++) {
          rgb[c * n + y * SIDE + x] = backdrop[c] * grade * (shadow ? 0.55f : 1f);
        }
      }
    }
    fill(rgb, metal, (x, y) -> sq(x - 30) + sq(y - 28) < 100);
    return normalise(rgb);
  }

  private static void fill(float[] rgb, float[] colour, Region region) {
    int n = SIDE * SIDE;
    for (int y = 0; y < SIDE; y++) {
      for (int x = 0; x < SIDE; x++) {
        if (region.contains(x, y)) {
          float light = 0.85f + 0.15f * x / SIDE;
          for (int c = 0; c < 3; c++) {
            rgb[c * n + y * SIDE + x] = Math.min(1f, colour[c] * light);
          }
        }
      }
    }
  }

  private static float[] normalise(float[] rgb) {
    int n = SIDE * SIDE;
    float[] chw = new float[rgb.length];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        chw[c * n + i] = (rgb[c * n + i] - ImagePipeline.MEAN[c]) / ImagePipeline.STD[c];
      }
    }
    return chw;
  }

  private static double sq(double v) {
    return v * v;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
