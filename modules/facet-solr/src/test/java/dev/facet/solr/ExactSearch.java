package dev.facet.solr;

import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import dev.facet.core.VectorMath;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Brute-force k-NN over listings in memory: the reference the SolrCloud backend is measured against. */
final class ExactSearch {
  private final List<IndexedListing> items;

  ExactSearch(List<IndexedListing> items) {
    this.items = List.copyOf(items);
  }

  /** The {@code k} listings matching the filter with the largest dot product, best first. */
  List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds) {
    record Scored(IndexedListing doc, double score) {}
    List<Scored> scored = new ArrayList<>();
    for (IndexedListing doc : items) {
      float[] v = doc.vector(field);
      if (v != null && !excludeIds.contains(doc.id()) && filter.matches(doc.listing())) {
        scored.add(new Scored(doc, VectorMath.dot(query, v)));
      }
    }
    scored.sort(Comparator.comparingDouble(Scored::score).reversed());
    List<SearchHit> out = new ArrayList<>();
    for (Scored s : scored.subList(0, Math.min(k, scored.size()))) {
      out.add(new SearchHit(s.doc().id(), s.doc().listing().title(), s.doc().listing().price(), (float) s.score(),
          s.doc().listing().primaryImage()));
    }
    return out;
  }
}
