package dev.facet.engine;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.util.VectorUtil;

/**
 * Maximal marginal relevance re-ranking: picks items one at a time, trading the model's relevance
 * against the largest cosine similarity to what was already picked. {@code lambda = 1} keeps the
 * relevance order; smaller values favour visually different items.
 */
public final class MmrDiversifier {
  private final double lambda;

  MmrDiversifier(double lambda) {
    if (!(lambda >= 0 && lambda <= 1)) {
      throw new IllegalArgumentException("MMR lambda must be in [0, 1], got " + lambda);
    }
    this.lambda = lambda;
  }

  /** A candidate: its relevance score and a unit vector used for the similarity term (may be null). */
  record Candidate<T>(T item, double relevance, float[] vector) {}

  /** Returns up to {@code k} candidates in MMR order; relevance is min-max scaled first. */
  <T> List<Candidate<T>> select(List<Candidate<T>> candidates, int k) {
    List<Candidate<T>> pool = new ArrayList<>(candidates);
    List<Candidate<T>> picked = new ArrayList<>(Math.min(k, pool.size()));
    if (lambda == 1.0) {
      pool.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
      return List.copyOf(pool.subList(0, Math.min(k, pool.size())));
    }
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Candidate<T> c : pool) {
      min = Math.min(min, c.relevance());
      max = Math.max(max, c.relevance());
    }
    double span = max > min ? max - min : 1.0;
    // Norms once per candidate, then one SIMD dot product per (picked, remaining) pair.
    double[] norm = new double[pool.size()];
    for (int i = 0; i < norm.length; i++) {
      float[] v = pool.get(i).vector();
      norm[i] = v == null ? 0 : Math.sqrt(VectorUtil.dotProduct(v, v));
    }
    double[] maxSim = new double[pool.size()];
    boolean[] used = new boolean[pool.size()];
    while (picked.size() < k && picked.size() < pool.size()) {
      int best = -1;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < pool.size(); i++) {
        if (used[i]) {
          continue;
        }
        double relevance = (pool.get(i).relevance() - min) / span;
        double value = lambda * relevance - (1 - lambda) * (picked.isEmpty() ? 0 : maxSim[i]);
        if (value > bestValue) {
          bestValue = value;
          best = i;
        }
      }
      used[best] = true;
      Candidate<T> chosen = pool.get(best);
      picked.add(chosen);
      for (int i = 0; i < pool.size(); i++) {
        if (!used[i]) {
          maxSim[i] = Math.max(maxSim[i], similarity(chosen.vector(), norm[best], pool.get(i).vector(), norm[i]));
        }
      }
    }
    return picked;
  }

  /** Cosine of two vectors given their norms; 0 when either is absent or zero. */
  private static double similarity(float[] a, double normA, float[] b, double normB) {
    if (a == null || b == null || normA == 0 || normB == 0) {
      return 0;
    }
    if (a.length != b.length) {
      throw new IllegalArgumentException("vector sizes differ: " + a.length + " vs " + b.length);
    }
    return VectorUtil.dotProduct(a, b) / (normA * normB);
  }

  /** Mean pairwise cosine distance of a list's vectors: the intra-list diversity reported by benchmarks. */
  public static double intraListDiversity(List<float[]> vectors) {
    double sum = 0;
    int pairs = 0;
    for (int i = 0; i < vectors.size(); i++) {
      for (int j = i + 1; j < vectors.size(); j++) {
        sum += 1 - cosine(vectors.get(i), vectors.get(j));
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  static double cosine(float[] a, float[] b) {
    if (a == null || b == null) {
      return 0;
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
      na += a[i] * a[i];
      nb += b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }
}
