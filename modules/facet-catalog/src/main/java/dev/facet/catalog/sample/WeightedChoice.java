package dev.facet.catalog.sample;

import java.util.Random;

/** Draws an index with probability proportional to its weight (the generator's one sampling rule). */
final class WeightedChoice {
  private WeightedChoice() {}

  static int pick(Random rnd, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double r = rnd.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }
}
