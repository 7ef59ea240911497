package dev.facet.core;

import java.util.List;
import java.util.Set;

/**
 * Ranking metrics for one user's ranked list against the set of relevant (held-out) items. The one
 * implementation every model and baseline is scored with. All metrics are in [0, 1]; a user with no
 * relevant item must be skipped by the caller.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** Fraction of the relevant items found in the first {@code k} positions. */
  public static double recall(List<String> ranked, Set<String> relevant, int k) {
    checkArgs(relevant, k);
    return (double) hitsAt(ranked, relevant, k) / relevant.size();
  }

  /** 1 when at least one relevant item is in the first {@code k} positions. */
  public static double hitRate(List<String> ranked, Set<String> relevant, int k) {
    checkArgs(relevant, k);
    return hitsAt(ranked, relevant, k) > 0 ? 1.0 : 0.0;
  }

  /** Normalized discounted cumulative gain at {@code k} with binary relevance. */
  public static double ndcg(List<String> ranked, Set<String> relevant, int k) {
    checkArgs(relevant, k);
    double dcg = 0;
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (relevant.contains(ranked.get(i))) {
        dcg += 1.0 / log2(i + 2);
      }
    }
    double ideal = 0;
    int m = Math.min(k, relevant.size());
    for (int i = 0; i < m; i++) {
      ideal += 1.0 / log2(i + 2);
    }
    return dcg / ideal;
  }

  /** Reciprocal rank of the first relevant item in the full list, 0 when none is ranked. */
  public static double mrr(List<String> ranked, Set<String> relevant) {
    checkArgs(relevant, 1);
    for (int i = 0; i < ranked.size(); i++) {
      if (relevant.contains(ranked.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /**
   * Area under the ROC curve of a full ranking: the probability that a relevant item is ranked above
   * a non-relevant one. {@code ranked} must hold every candidate item (seen items excluded);
   * relevant items missing from it count as ranked last.
   */
  public static double auc(List<String> ranked, Set<String> relevant) {
    checkArgs(relevant, 1);
    int negatives = 0;
    for (String item : ranked) {
      if (!relevant.contains(item)) {
        negatives++;
      }
    }
    if (negatives == 0) {
      return 1.0;
    }
    long correctPairs = 0;
    int negativesAbove = 0;
    for (String item : ranked) {
      if (relevant.contains(item)) {
        correctPairs += negatives - negativesAbove;
      } else {
        negativesAbove++;
      }
    }
    // Relevant items absent from the list rank below every negative: they add no correct pair.
    return (double) correctPairs / ((double) relevant.size() * negatives);
  }

  private static int hitsAt(List<String> ranked, Set<String> relevant, int k) {
    int hits = 0;
    int n = Math.min(k, ranked.size());
    for (int i = 0; i < n; i++) {
      if (relevant.contains(ranked.get(i))) {
        hits++;
      }
    }
    return hits;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static void checkArgs(Set<String> relevant, int k) {
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("no relevant items: skip this user");
    }
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, got " + k);
    }
  }
}
