package dev.facet.engine;

/**
 * Serving knobs of the {@link Recommender}.
 *
 * @param mmrLambda MMR trade-off in [0, 1]; 1 = pure relevance
 * @param inStockOnly business rule: recommend only listings in stock
 */
public record RecommendSettings(double mmrLambda, boolean inStockOnly) {
  /** Default lambda; see the diversity benchmark in the recommender issue note for how it was chosen. */
  public static final double DEFAULT_MMR_LAMBDA = 0.85;

  public RecommendSettings {
    if (!(mmrLambda >= 0 && mmrLambda <= 1)) {
      throw new IllegalArgumentException("mmrLambda must be in [0, 1], got " + mmrLambda);
    }
  }

  public static RecommendSettings defaults() {
    return new RecommendSettings(DEFAULT_MMR_LAMBDA, true);
  }
}
