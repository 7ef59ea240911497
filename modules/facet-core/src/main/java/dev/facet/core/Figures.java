package dev.facet.core;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** How Facet reports measured figures (benchmarks, evaluations): rounded decimals and nearest-rank percentiles. */
public final class Figures {
  private Figures() {}

  /** {@code v} rounded half up to {@code digits} decimals, as {@code %.Nf} prints it; NaN and infinities unchanged. */
  public static double round(double v, int digits) {
    if (!Double.isFinite(v)) {
      return v;
    }
    return new BigDecimal(v).setScale(digits, RoundingMode.HALF_UP).doubleValue();
  }

  /**
   * The nearest-rank percentile of ascending values: the smallest value with at least {@code p} of
   * them at or below it.
   *
   * @param sorted values in ascending order, at least one
   * @param p in [0, 1]
   */
  public static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      throw new IllegalArgumentException("percentile of no values");
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
