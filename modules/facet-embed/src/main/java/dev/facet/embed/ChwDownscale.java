package dev.facet.embed;

import java.util.ArrayList;
import java.util.List;

/**
 * Area-averaging of channel-first images by an integer factor: each output pixel is the mean of a
 * {@code factor × factor} block. The pipeline's normalisation is affine per channel, so averaging
 * normalised values equals normalising averaged pixels.
 */
final class ChwDownscale {
  private ChwDownscale() {}

  static List<float[]> all(List<float[]> images, int size, int factor) {
    List<float[]> out = new ArrayList<>(images.size());
    for (float[] chw : images) {
      out.add(of(chw, size, factor));
    }
    return out;
  }

  /**
   * @param chw {@code 3 × size × size} values
   * @param factor divides {@code size}
   * @return {@code 3 × (size / factor)²} values
   */
  static float[] of(float[] chw, int size, int factor) {
    if (factor < 1 || size % factor != 0 || chw.length != 3 * size * size) {
      throw new IllegalArgumentException("cannot scale a " + chw.length + "-value image of side " + size + " down by " + factor);
    }
    int small = size / factor;
    float[] out = new float[3 * small * small];
    float inv = 1f / (factor * factor);
    for (int c = 0; c < 3; c++) {
      int in = c * size * size;
      int base = c * small * small;
      for (int y = 0; y < size; y++) {
        int row = base + (y / factor) * small;
        int src = in + y * size;
        for (int x = 0; x < size; x++) {
          out[row + x / factor] += chw[src + x];
        }
      }
      for (int i = base; i < base + small * small; i++) {
        out[i] *= inv;
      }
    }
    return out;
  }
}
