package dev.facet.model;

import java.util.Random;

/** Draws negative item indices. Implementations are immutable; randomness comes from the caller. */
interface NegativeSampler {
  /** One item index. */
  int next(Random rnd);

  /** Probability of drawing item {@code i}. */
  double probability(int i);

  /** Uniform over {@code [0, n)}. */
  static NegativeSampler uniform(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("uniform sampler needs at least one item");
    }
    return new NegativeSampler() {
      @Override
      public int next(Random rnd) {
        return rnd.nextInt(n);
      }

      @Override
      public double probability(int i) {
        return 1.0 / n;
      }
    };
  }

  /** Proportional to {@code (count + 1)^power}: power 1 is popularity, 0 is uniform. */
  static NegativeSampler popularity(long[] counts, double power) {
    return new PopularitySampler(counts, power);
  }

  /** Cumulative-distribution sampler with binary search. */
  final class PopularitySampler implements NegativeSampler {
    private final double[] cumulative;
    private final double total;

    PopularitySampler(long[] counts, double power) {
      if (counts.length == 0 || power < 0) {
        throw new IllegalArgumentException("popularity sampler needs items and power >= 0");
      }
      cumulative = new double[counts.length];
      double sum = 0;
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] < 0) {
          throw new IllegalArgumentException("negative count for item " + i);
        }
        sum += Math.pow(counts[i] + 1.0, power);
        cumulative[i] = sum;
      }
      total = sum;
    }

    @Override
    public int next(Random rnd) {
      double x = rnd.nextDouble() * total;
      int lo = 0;
      int hi = cumulative.length - 1;
      while (lo < hi) {
        int mid = (lo + hi) >>> 1;
        if (cumulative[mid] > x) {
          hi = mid;
        } else {
          lo = mid + 1;
        }
      }
      return lo;
    }

    @Override
    public double probability(int i) {
      return (cumulative[i] - (i == 0 ? 0 : cumulative[i - 1])) / total;
    }
  }
}
