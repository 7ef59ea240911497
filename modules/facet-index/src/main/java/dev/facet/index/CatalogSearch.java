package dev.facet.index;

import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Search over an indexed catalog. Implemented by the embedded {@link CatalogIndex}; a distributed backend
 * (SolrCloud) implements the same contract.
 *
 * <p>Common rules: {@code k} must be in {@code [1, }{@link #MAX_K}{@code ]}; the filter is applied as a
 * pre-filter inside the search (never by dropping hits afterwards), with {@link Filter#matches} as its
 * reference semantics; listings whose id is in {@code excludeIds} are never returned; hits are ordered by
 * descending score.
 */
public interface CatalogSearch {

  /** Largest accepted {@code k}. */
  int MAX_K = 1000;

  /**
   * Approximate nearest neighbours of {@code query} in the given vector field.
   *
   * @param query vector of the field's dimension (unit length for IMAGE, TEXT and FUSED)
   * @return up to {@code k} hits; score is Lucene's vector score (for unit vectors {@code (1 + cos) / 2})
   */
  List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds);

  /** {@link #knn(VectorField, float[], int, Filter, Set)} without exclusions. */
  default List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter) {
    return knn(field, query, k, filter, Set.of());
  }

  /**
   * BM25 full-text search over title, English title and description (Chinese and English analysis).
   *
   * @return up to {@code k} hits; empty when the text has no searchable terms
   */
  List<SearchHit> bm25(String text, int k, Filter filter, Set<String> excludeIds);

  /** {@link #bm25(String, int, Filter, Set)} without exclusions. */
  default List<SearchHit> bm25(String text, int k, Filter filter) {
    return bm25(text, k, filter, Set.of());
  }

  /**
   * Hybrid search: reciprocal-rank fusion (constant 60) of BM25 on {@code text} and KNN on the text
   * vector field with {@code textVector}. Score is the fused RRF score.
   */
  List<SearchHit> hybrid(String text, float[] textVector, int k, Filter filter, Set<String> excludeIds);

  /** {@link #hybrid(String, float[], int, Filter, Set)} without exclusions. */
  default List<SearchHit> hybrid(String text, float[] textVector, int k, Filter filter) {
    return hybrid(text, textVector, k, filter, Set.of());
  }

  /** The stored listing and its vectors, as of the last refresh. */
  Optional<IndexedListing> get(String id);
}
