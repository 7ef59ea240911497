package dev.facet.embed;

import dev.facet.core.Listing;
import java.util.List;
import java.util.Objects;

/**
 * Retrieval sanity of a set of vectors: for each listing, the share of its {@code k} nearest
 * neighbours (cosine, itself excluded) with the same category and with the same material, averaged
 * over listings. Exact (brute force); meant for catalogs of thousands, not millions.
 *
 * @param category mean share of neighbours with the same category
 * @param material mean share of neighbours with the same material (listings without one count as
 *     their own value {@code null})
 * @param k neighbours per listing
 * @param items listings measured
 */
public record NeighbourAgreement(double category, double material, int k, int items) {

  /**
   * @param vectors unit vectors, {@code vectors.get(i)} belonging to {@code listings.get(i)}
   * @throws IllegalArgumentException when sizes differ or there are not more than {@code k} listings
   */
  public static NeighbourAgreement measure(List<Listing> listings, List<float[]> vectors, int k) {
    int n = listings.size();
    if (vectors.size() != n || n <= k || k < 1) {
      throw new IllegalArgumentException("need as many vectors as listings (" + vectors.size() + " vs " + n + ") and more than k=" + k);
    }
    double categorySum = 0;
    double materialSum = 0;
    int[] best = new int[k];
    double[] bestScore = new double[k];
    for (int i = 0; i < n; i++) {
      java.util.Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
      java.util.Arrays.fill(best, -1);
      for (int j = 0; j < n; j++) {
        if (j == i) {
          continue;
        }
        double s = Vectors.dot(vectors.get(i), vectors.get(j));
        if (s > bestScore[k - 1]) {
          int pos = k - 1;
          while (pos > 0 && bestScore[pos - 1] < s) {
            bestScore[pos] = bestScore[pos - 1];
            best[pos] = best[pos - 1];
            pos--;
          }
          bestScore[pos] = s;
          best[pos] = j;
        }
      }
      Listing li = listings.get(i);
      int sameCategory = 0;
      int sameMaterial = 0;
      for (int j : best) {
        Listing lj = listings.get(j);
        if (li.category().equals(lj.category())) {
          sameCategory++;
        }
        if (Objects.equals(li.material(), lj.material())) {
          sameMaterial++;
        }
      }
      categorySum += sameCategory / (double) k;
      materialSum += sameMaterial / (double) k;
    }
    return new NeighbourAgreement(categorySum / n, materialSum / n, k, n);
  }
}
