package dev.facet.core;

import java.util.List;

/**
 * One ranked recommendation.
 *
 * @param itemId listing id
 * @param score model score (higher is better); comparable only within one response
 * @param reasons why it was recommended, most important first
 */
public record Recommendation(String itemId, double score, List<Reason> reasons) {
  public Recommendation {
    reasons = List.copyOf(reasons);
  }
}
