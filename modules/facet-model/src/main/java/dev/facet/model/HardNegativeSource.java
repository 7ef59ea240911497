package dev.facet.model;

import java.util.List;

/**
 * Supplies hard negatives for training: items that look like a positive item but are not it. The
 * engine implements this with Lucene nearest neighbours over the item vectors; without one the
 * trainer uses {@link #fromVectors} over the model's own item vectors, refreshed every epoch.
 */
public interface HardNegativeSource {
  /** Up to {@code k} item ids most similar to {@code itemId}, excluding it, best first. */
  List<String> neighbours(String itemId, int k);

  /** Exact inner-product neighbours over the given vectors (brute force; fine up to ~50k items). */
  static HardNegativeSource fromVectors(java.util.Map<String, float[]> vectors) {
    return new VectorNeighbours(vectors);
  }
}
