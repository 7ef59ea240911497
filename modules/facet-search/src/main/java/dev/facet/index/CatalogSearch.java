package dev.facet.index;

import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.ListingAttribute;
import dev.facet.core.SearchHit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

  /** Keyword attributes of a listing that a {@link VectorHit} carries (the names of the Listing fields). */
  List<String> HIT_ATTRIBUTES = java.util.Arrays.stream(ListingAttribute.values()).map(ListingAttribute::key).toList();

  /**
   * A KNN hit carrying stored vectors and keyword attributes of the listing instead of display fields.
   *
   * @param id listing id
   * @param score as in {@link #knn}
   * @param vectors the requested fields' vectors; a field the listing has no vector for is absent
   * @param attributes the listing's {@link #HIT_ATTRIBUTES} by name; an attribute the listing lacks is absent
   */
  record VectorHit(String id, float score, Map<VectorField, float[]> vectors, Map<String, String> attributes) {
    public VectorHit {
      vectors = Map.copyOf(vectors);
      attributes = Map.copyOf(attributes);
    }

    /** The vector of {@code field}, or null when not loaded or absent. */
    public float[] vector(VectorField field) {
      return vectors.get(field);
    }

    /** The keyword attributes of a listing, as a VectorHit carries them. */
    public static Map<String, String> attributesOf(Listing l) {
      Map<String, String> out = new LinkedHashMap<>();
      for (ListingAttribute a : ListingAttribute.values()) {
        String value = a.of(l);
        if (value != null) {
          out.put(a.key(), value);
        }
      }
      return out;
    }
  }

  /**
   * {@link #knn(VectorField, float[], int, Filter, Set)} (same rules, same hits and order) returning the
   * hits' vectors of the fields in {@code load} and their keyword attributes, read from the same index
   * snapshot as the search and without loading stored listings: for callers that re-rank many
   * candidates. The returned arrays must not be modified.
   */
  default List<VectorHit> knnVectors(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds,
      Set<VectorField> load) {
    List<VectorHit> out = new ArrayList<>();
    for (SearchHit hit : knn(field, query, k, filter, excludeIds)) {
      Optional<IndexedListing> doc = get(hit.id());
      if (doc.isPresent()) {
        Map<VectorField, float[]> vectors = new EnumMap<>(VectorField.class);
        for (VectorField f : load) {
          float[] v = doc.get().vector(f);
          if (v != null) {
            vectors.put(f, v);
          }
        }
        out.add(new VectorHit(hit.id(), hit.score(), vectors, VectorHit.attributesOf(doc.get().listing())));
      }
    }
    return out;
  }

  /**
   * The stored vectors of {@code field} for the given ids, as of the last refresh; ids that are not
   * indexed or have no such vector are left out.
   */
  default Map<String, float[]> vectors(VectorField field, Collection<String> ids) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String id : ids) {
      get(id).map(d -> d.vector(field)).ifPresent(v -> out.put(id, v));
    }
    return out;
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

  /**
   * The stored listings of those {@code ids} that are indexed, in the order given: one round trip where
   * the backend allows (a remote backend must not be asked once per id).
   */
  default Map<String, IndexedListing> getAll(Collection<String> ids) {
    Map<String, IndexedListing> out = new LinkedHashMap<>();
    for (String id : ids) {
      get(id).ifPresent(doc -> out.put(id, doc));
    }
    return out;
  }

  /**
   * The {@code k} rule every backend applies.
   *
   * @throws IllegalArgumentException when {@code k} is outside {@code [1, MAX_K]}
   */
  static void checkK(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "], got " + k);
    }
  }

  /**
   * The query-vector rule every backend applies: the field's dimension and finite values.
   *
   * @throws IllegalArgumentException naming the field when the vector does not fit
   */
  static void checkQueryVector(VectorField field, float[] v, IndexSettings settings) {
    int dims = settings.dims(field);
    if (v.length != dims) {
      throw new IllegalArgumentException(field.fieldName() + " query vector has " + v.length
          + " dimensions, the index expects " + dims);
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException(field.fieldName() + " query vector has a non-finite value");
      }
    }
  }
}
