package dev.facet.embed;

import dev.facet.catalog.image.ImagePipeline;
import java.util.Arrays;

/**
 * Bench-scope (the colour part {@link ColourVariants} measures; docs/FUSION-VARIANTS.md says why it
 * is not an encoder): a fixed, non-learned colour descriptor of the object in a photo: an HSV histogram of the pixels
 * that differ from the background (a per-channel plane fitted to the image's border ring),
 * square-rooted (Hellinger) and L2-normalised. Greys (low saturation or dark) go to value bins,
 * split by a blue or yellow tint, so silver, white gold and platinum stay apart from yellow and rose
 * gold, which fall in the chromatic bins.
 * Hue is shared linearly between its two nearest bins so that small hue shifts move mass smoothly.
 */
final class ColourHistogram {
  static final int HUES = 12;
  static final int SATS = 3;
  static final int VALS = 2;
  static final int GREYS = 6;
  /** Grey tints from bluish to yellowish (platinum, silver, white gold differ by little more). */
  static final int TINTS = 5;
  /** Length of every descriptor. */
  static final int DIM = HUES * SATS * VALS + GREYS * TINTS;
  private static final float TINT = 0.025f;
  private static final float GREY_SATURATION = 0.2f;
  private static final float DARK = 0.1f;
  /**
   * RGB distances from the background plane: below the first a pixel is background (noise, JPEG,
   * soft shadows), from the second on it counts fully as object.
   */
  private static final float BACKGROUND_DISTANCE = 0.12f;
  private static final float OBJECT_MARGIN = 0.1f;
  private static final float NOISE_DISTANCE = 0.03f;
  private static final double OBJECT_QUANTILE = 0.85;

  private ColourHistogram() {}

  /**
   * @param chw one image as {@link ImagePipeline} decodes it (ImageNet-normalised RGB, channel first)
   * @param side its side in pixels
   */
  static float[] describe(float[] chw, int side) {
    int n = side * side;
    if (chw.length != 3 * n) {
      throw new IllegalArgumentException("expected " + 3 * n + " values for a " + side + "-pixel image, got " + chw.length);
    }
    float[] rgb = new float[3 * n];
    for (int c = 0; c < 3; c++) {
      for (int i = 0; i < n; i++) {
        rgb[c * n + i] = Math.clamp(chw[c * n + i] * ImagePipeline.STD[c] + ImagePipeline.MEAN[c], 0f, 1f);
      }
    }
    float[] weights = objectWeights(rgb, side);
    double[] hist = new double[DIM];
    double total = 0;
    for (int i = 0; i < n; i++) {
      if (weights[i] > 0) {
        add(hist, rgb[i], rgb[n + i], rgb[2 * n + i], weights[i]);
        total += weights[i];
      }
    }
    if (total == 0) {
      // Nothing stands out from the backdrop (a flat image): describe all of it.
      for (int i = 0; i < n; i++) {
        add(hist, rgb[i], rgb[n + i], rgb[2 * n + i], 1f);
      }
    }
    return hellinger(hist);
  }

  /**
   * How much each pixel counts as object: 0 up to a distance from the background (the plane's
   * colour or any darker shade of it), 1 from
   * that distance plus a margin. The distance is the fixed one unless fewer than 15% of the pixels
   * are that far (a pale metal on a pale backdrop), then the 85th percentile, but not below noise.
   */
  private static float[] objectWeights(float[] rgb, int side) {
    int n = side * side;
    double[][] background = borderPlane(rgb, side);
    float[] distance = new float[n];
    for (int i = 0; i < n; i++) {
      double x = (i % side) / (double) side;
      double y = (i / side) / (double) side;
      double[] bg = new double[3];
      double along = 0;
      double norm = 0;
      for (int c = 0; c < 3; c++) {
        bg[c] = plane(background[c], x, y);
        along += rgb[c * n + i] * bg[c];
        norm += bg[c] * bg[c];
      }
      // Distance to the segment from black to the backdrop's colour: shadows cast on the backdrop
      // darken it towards black and stay background.
      double t = Math.clamp(along / Math.max(norm, 1e-9), 0, 1);
      double d = 0;
      for (int c = 0; c < 3; c++) {
        double diff = rgb[c * n + i] - t * bg[c];
        d += diff * diff;
      }
      distance[i] = (float) Math.sqrt(d);
    }
    float[] sorted = distance.clone();
    Arrays.sort(sorted);
    float from = Math.clamp(sorted[(int) (n * OBJECT_QUANTILE)], NOISE_DISTANCE, BACKGROUND_DISTANCE);
    float[] weights = new float[n];
    for (int i = 0; i < n; i++) {
      weights[i] = Math.clamp((distance[i] - from) / OBJECT_MARGIN, 0f, 1f);
    }
    return weights;
  }

  private static void add(double[] hist, float r, float g, float b, float weight) {
    float max = Math.max(r, Math.max(g, b));
    float min = Math.min(r, Math.min(g, b));
    float sat = max <= 0 ? 0 : (max - min) / max;
    if (sat < GREY_SATURATION || max < DARK) {
      int tint = Math.clamp(Math.round((r - b) / TINT) + TINTS / 2, 0, TINTS - 1);
      hist[HUES * SATS * VALS + Math.min(GREYS - 1, (int) (max * GREYS)) * TINTS + tint] += weight;
      return;
    }
    float hue = hue(r, g, b, max, max - min) * HUES;
    int h0 = (int) Math.floor(hue - 0.5f);
    float frac = hue - 0.5f - h0;
    int s = Math.min(SATS - 1, (int) ((sat - GREY_SATURATION) / (1 - GREY_SATURATION) * SATS));
    int v = Math.min(VALS - 1, (int) ((max - DARK) / (1 - DARK) * VALS));
    hist[bin(Math.floorMod(h0, HUES), s, v)] += weight * (1 - frac);
    hist[bin(Math.floorMod(h0 + 1, HUES), s, v)] += weight * frac;
  }

  private static int bin(int h, int s, int v) {
    return (h * SATS + s) * VALS + v;
  }

  /** Hue in [0, 1). */
  private static float hue(float r, float g, float b, float max, float chroma) {
    float h;
    if (max == r) {
      h = (g - b) / chroma;
    } else if (max == g) {
      h = 2 + (b - r) / chroma;
    } else {
      h = 4 + (r - g) / chroma;
    }
    h /= 6;
    return h < 0 ? h + 1 : (h >= 1 ? h - 1 : h);
  }

  private static double plane(double[] p, double x, double y) {
    return p[0] + p[1] * x + p[2] * y;
  }

  /**
   * Per channel, the least-squares plane {@code a + b x + c y} through the outer ring (1/16 of the
   * side) of the image: studio backdrops are flat or a smooth gradient.
   */
  private static double[][] borderPlane(float[] rgb, int side) {
    int ring = Math.max(1, side / 16);
    int n = side * side;
    double[][] normal = new double[3][3];
    double[][] rhs = new double[3][3];
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        if (y < ring || y >= side - ring || x < ring || x >= side - ring) {
          double[] f = {1, x / (double) side, y / (double) side};
          for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
              normal[a][b] += f[a] * f[b];
            }
            for (int c = 0; c < 3; c++) {
              rhs[c][a] += f[a] * rgb[c * n + y * side + x];
            }
          }
        }
      }
    }
    double[][] planes = new double[3][];
    for (int c = 0; c < 3; c++) {
      planes[c] = solve3(normal, rhs[c]);
    }
    return planes;
  }

  /** Solves the 3x3 system {@code m z = r} by Cramer's rule (m is a well-conditioned normal matrix). */
  private static double[] solve3(double[][] m, double[] r) {
    double det = det3(m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]);
    double[] z = new double[3];
    for (int k = 0; k < 3; k++) {
      double[][] a = {m[0].clone(), m[1].clone(), m[2].clone()};
      for (int row = 0; row < 3; row++) {
        a[row][k] = r[row];
      }
      z[k] = det3(a[0][0], a[0][1], a[0][2], a[1][0], a[1][1], a[1][2], a[2][0], a[2][1], a[2][2]) / det;
    }
    return z;
  }

  private static double det3(double a, double b, double c, double d, double e, double f, double g, double h, double i) {
    return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  }

  private static float[] hellinger(double[] hist) {
    double sum = 0;
    for (double h : hist) {
      sum += h;
    }
    float[] out = new float[hist.length];
    double norm = 0;
    for (int i = 0; i < hist.length; i++) {
      out[i] = (float) Math.sqrt(hist[i] / Math.max(sum, 1e-12));
      norm += out[i] * out[i];
    }
    float inv = (float) (1 / Math.sqrt(Math.max(norm, 1e-24)));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }
}
