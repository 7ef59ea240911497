package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.index.CatalogIndex;
import dev.facet.index.CatalogSearch;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Recommendations without the joint model (none trained yet, or no history for the user), in this
 * order until {@code k} are found: listings that look like the user's latest item (content), the
 * most popular listings (popularity), then listings of the catalog in id order (a shop on day one
 * has no behaviour at all). Each recommendation's reason names the fallback that chose it.
 */
@Singleton
final class FallbackRecommendations {
  /** Catalog listings kept in the day-one showcase; enough for any filter that is not very narrow. */
  private static final int SHOWCASE = 2_000;

  /** How long the showcase is reused before the index is listed again. */
  private static final long SHOWCASE_NANOS = 10_000_000_000L;

  private final CatalogSearch index;
  private final BehaviourStore behaviour;
  private final Supplier<? extends Collection<String>> allIds;
  private volatile Showcase showcase = new Showcase(0, List.of());

  private record Showcase(long madeAt, List<String> ids) {}

  @Inject
  FallbackRecommendations(CatalogIndex index, BehaviourStore behaviour) {
    this(index, behaviour, index::ids);
  }

  FallbackRecommendations(CatalogSearch index, BehaviourStore behaviour, Supplier<? extends Collection<String>> allIds) {
    this.index = index;
    this.behaviour = behaviour;
    this.allIds = allIds;
  }

  List<Recommendation> recommend(List<Interaction> history, Set<String> exclude, int k, Filter effective, Filter asked) {
    List<Recommendation> out = new ArrayList<>(k);
    Set<String> seen = new HashSet<>(exclude);
    if (!history.isEmpty()) {
      content(history, k, effective, seen, out);
    }
    List<String> ranked = behaviour.popular(Integer.MAX_VALUE);
    String where = asked.isEmpty() ? "the whole catalog" : "your selection";
    add(ranked, k, effective, seen, out, i -> new Reason(Reason.Kind.POPULAR, "popular in " + where, null), ranked.size());
    if (out.size() < k) {
      List<String> ids = showcase().ids();
      add(ids, k, effective, seen, out,
          i -> new Reason(Reason.Kind.CATALOG, "from the catalog: no behaviour to rank by yet", null), 0);
    }
    return out;
  }

  /** Image neighbours of the user's most recent item that is still indexed. */
  private void content(List<Interaction> history, int k, Filter filter, Set<String> seen, List<Recommendation> out) {
    for (int i = history.size() - 1; i >= 0; i--) {
      String item = history.get(i).item();
      Optional<IndexedListing> doc = index.get(item);
      if (doc.isEmpty() || doc.get().image() == null) {
        continue;
      }
      Set<String> skip = new HashSet<>(seen);
      skip.add(item);
      for (SearchHit hit : index.knn(VectorField.IMAGE, doc.get().image(), k, filter, skip)) {
        if (out.size() < k && seen.add(hit.id())) {
          out.add(new Recommendation(hit.id(), hit.score(),
              List.of(new Reason(Reason.Kind.CONTENT, "looks like " + item + " (no trained model yet)", item))));
        }
      }
      return;
    }
  }

  private void add(List<String> ids, int k, Filter filter, Set<String> seen, List<Recommendation> out,
      java.util.function.IntFunction<Reason> reason, int scoreBase) {
    for (int i = 0; i < ids.size() && out.size() < k; i++) {
      String id = ids.get(i);
      Optional<IndexedListing> doc = seen.contains(id) ? Optional.empty() : index.get(id);
      if (doc.isPresent() && filter.matches(doc.get().listing()) && seen.add(id)) {
        out.add(new Recommendation(id, scoreBase - i, List.of(reason.apply(i))));
      }
    }
  }

  /** The first {@value #SHOWCASE} ids in order, listed again every ten seconds at most. */
  private Showcase showcase() {
    Showcase s = showcase;
    long now = System.nanoTime();
    if (s.ids().isEmpty() || now - s.madeAt() > SHOWCASE_NANOS) {
      TreeSet<String> ids = new TreeSet<>(allIds.get());
      List<String> first = new ArrayList<>(Math.min(SHOWCASE, ids.size()));
      for (String id : ids) {
        if (first.size() == SHOWCASE) {
          break;
        }
        first.add(id);
      }
      s = new Showcase(now, List.copyOf(first));
      showcase = s;
    }
    return s;
  }
}
