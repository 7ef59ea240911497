package dev.facet.index;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TimeLimitingKnnCollectorManager;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.knn.KnnCollectorManager;
import org.apache.lucene.search.knn.TopKnnCollectorManager;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * A filtered KNN query that picks, per segment and before searching, the cheaper of HNSW graph search and
 * exact scoring of every accepted document, and that never turns a graph search which found enough hits into
 * a scan of the whole segment.
 *
 * <p>Lucene's own rule tries the graph first and falls back to exact search once the graph search has
 * visited as many nodes as the filter accepts, so a selective filter pays for both: the wasted graph walk and
 * then the scan. Here the choice is made up front from the filter's cardinality {@code c} (known exactly, the
 * filter is a cached bitset). A graph search that must collect {@code candidates} accepted documents when a
 * fraction {@code s = c / n} of the {@code n} documents is accepted visits about {@code V / s} nodes, each a
 * random-access read plus a neighbour-list decode, where {@code V} grows with {@code candidates}; an exact
 * scan scores {@code c} vectors read in doc order. Exact wins when {@code c <= V / s}, i.e. when
 * {@code c² <= V · n}; {@code V} is modelled as {@value #GRAPH_VISITS_PER_CANDIDATE} × candidates.
 *
 * <p>Lucene also scans every accepted document when a filtered graph search ends with fewer hits than the
 * candidate list asks for (the walk ran out of reachable nodes, as on graphs of near-duplicate clusters): with
 * a broad filter that is a scan of nearly the whole catalog. When the graph's hits still fill the caller's
 * {@code k} they are kept, as Lucene keeps them for an unfiltered search; exact search remains the answer
 * when they do not, or when the filter is small enough for exact search to be cheap.
 *
 * <p>The candidate list is sized for the documents a search competes among, not for the whole index: a
 * filter accepting a fraction {@code s} of {@code n} documents asks for the 10 nearest of {@code s · n}, as hard
 * as an unfiltered search over an index that size ({@link KnnBudget#candidates}). A filtered graph walk
 * visits about {@code 1 / s} nodes per candidate it keeps, so a list sized for all {@code n} documents would
 * make a 10% filter several times slower than the unfiltered search for no recall it needs.
 *
 * <p>Not final: tests count which searches take the exact path.
 */
class CostBasedKnnQuery extends KnnFloatVectorQuery {
  /**
   * Graph nodes an unfiltered search visits per candidate collected, in cost units of one exactly scored
   * vector (a graph visit costs a little more than a sequential exact score, which this folds in).
   */
  static final int GRAPH_VISITS_PER_CANDIDATE = 10;

  private static final TopDocs GIVE_UP =
      new TopDocs(new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), new ScoreDoc[0]);
  /** Lucene's {@code AbstractKnnVectorQuery.LAMBDA}: how far beyond its expected share a segment is searched. */
  private static final float PER_LEAF_DEVIATIONS = 16f;

  private final int needed;
  private final KnnStats stats;
  /** Per segment ord: a short graph result to return instead of the exact scan Lucene asks for next. */
  private final Map<Integer, TopDocs> shortResults = new ConcurrentHashMap<>();
  /** Per segment ord: a complete graph result of a candidate list sized for the filter's documents. */
  private final Map<Integer, TopDocs> filterSizedResults = new ConcurrentHashMap<>();
  /** Per segment ord: a graph search that came back incomplete (visit limit, or too few hits). */
  private final Map<Integer, TopDocs> incomplete = new ConcurrentHashMap<>();
  /** Exact scans put off until the merge, by the walk's hits returned in their place (identity). */
  private final Map<TopDocs, DeferredScan> deferredScans = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());
  /** Per segment ord: the exact top list of a put-off scan that ran (segment doc ids). */
  private final Map<Integer, TopDocs> scannedSegments = new ConcurrentHashMap<>();
  /** Segment ords whose exact search was chosen here rather than forced by an incomplete graph search. */
  private final Set<Integer> chosenExact = ConcurrentHashMap.newKeySet();
  /** Documents in the whole index (all segments), for the filter's share of it. */
  private final long indexDocs;
  /** Candidates a search among a given number of documents collects. */
  private final java.util.function.LongToIntFunction budget;
  /** The searcher of the current search, for collectors sized per segment. */
  private volatile IndexSearcher searcher;

  /**
   * @param field vector field name
   * @param target query vector
   * @param candidates documents to collect
   * @param filter accepted documents (null = all live documents)
   * @param needed hits the caller keeps (at most {@code candidates}): a graph result this long is enough
   * @param stats where the path taken is counted
   * @param indexDocs documents in the index searched
   * @param budget candidates to collect for a search among a given number of documents, at most {@code
   *     candidates} (which is the budget of all {@code indexDocs})
   */
  CostBasedKnnQuery(String field, float[] target, int candidates, Query filter, int needed, KnnStats stats,
      long indexDocs, java.util.function.LongToIntFunction budget) {
    super(field, target, candidates, filter);
    this.needed = Math.min(needed, candidates);
    this.stats = stats;
    this.indexDocs = indexDocs;
    this.budget = budget;
  }

  /** Without a filter-sized budget: every search collects {@code candidates}. */
  CostBasedKnnQuery(String field, float[] target, int candidates, Query filter, int needed, KnnStats stats) {
    this(field, target, candidates, filter, needed, stats, 0, docs -> candidates);
  }

  /**
   * Candidates for a filtered search of one segment: the budget of the documents the filter accepts across
   * the index (the segment's accepted share times the index size), never fewer than the caller keeps.
   */
  int filteredCandidates(long accepted, long segmentDocs) {
    long searched = segmentDocs == 0 ? 0 : Math.round((double) accepted / segmentDocs * Math.max(indexDocs, segmentDocs));
    return Math.max(needed, Math.min(getK(), budget.applyAsInt(searched)));
  }

  @Override
  protected KnnCollectorManager getKnnCollectorManager(int k, IndexSearcher searcher) {
    this.searcher = searcher;
    return super.getKnnCollectorManager(k, searcher);
  }

  /**
   * Whether scoring every accepted document is expected to be cheaper than a graph search.
   *
   * @param accepted documents the filter accepts in the segment
   * @param segmentDocs documents in the segment
   * @param candidates documents the search must return
   */
  static boolean exactIsCheaper(long accepted, long segmentDocs, int candidates) {
    if (accepted >= segmentDocs) {
      return false;
    }
    return (double) accepted * accepted <= (double) GRAPH_VISITS_PER_CANDIDATE * candidates * segmentDocs;
  }

  /**
   * Lucene's per-segment search, except in a filtered segment with deletions: there Lucene builds the
   * accepted documents by walking the filter's matches one by one against the live docs, a pass over most
   * of the segment on every query (a live catalog's largest segment always has deletions: every edit
   * deletes the listing's old document). Here the filter's bitset is masked with the live docs word by
   * word and the rest is Lucene's rule unchanged.
   */
  @Override
  protected TopDocs searchLeaf(LeafReaderContext ctx, Weight filterWeight, TimeLimitingKnnCollectorManager manager)
      throws IOException {
    Bits live = ctx.reader().getLiveDocs();
    if (filterWeight == null || live == null) {
      return super.searchLeaf(ctx, filterWeight, manager);
    }
    TopDocs results = searchLeafWithDeletions(ctx, filterWeight, live, manager);
    if (ctx.docBase > 0) {
      for (ScoreDoc hit : results.scoreDocs) {
        hit.doc += ctx.docBase;
      }
    }
    return results;
  }

  private TopDocs searchLeafWithDeletions(LeafReaderContext ctx, Weight filterWeight, Bits live,
      TimeLimitingKnnCollectorManager manager) throws IOException {
    int maxDoc = ctx.reader().maxDoc();
    FixedBitSet accepted = new FixedBitSet(maxDoc);
    Scorer scorer = filterWeight.scorer(ctx);
    if (scorer != null) {
      accepted.or(scorer.iterator()); // word by word: the filter is a BitSetIterator (FilterBitSets)
      live.applyMask(accepted, 0);
    }
    AcceptDocs acceptDocs = AcceptDocs.fromLiveDocs(accepted, maxDoc);
    int cost = acceptDocs.cost();
    QueryTimeout timeout = manager.getQueryTimeout();
    int perLeafK = ctx.parent == null ? k : perLeafTopK(k, maxDoc / (float) ctx.parent.reader().maxDoc());
    if (cost <= perLeafK) {
      return exactSearch(ctx, acceptDocs.iterator(), timeout);
    }
    TopDocs results = approximateSearch(ctx, acceptDocs, cost + 1, manager);
    if (results.totalHits.relation() == TotalHits.Relation.EQUAL_TO && results.scoreDocs.length >= perLeafK
        || timeout != null && timeout.shouldExit()) {
      return results;
    }
    return exactSearch(ctx, acceptDocs.iterator(), timeout);
  }

  /**
   * Lucene's share of the top {@code k} a segment holding {@code leafProportion} of the documents is
   * searched for: its expected share plus {@value #PER_LEAF_DEVIATIONS} standard deviations of the
   * binomial (AbstractKnnVectorQuery's private rule, repeated here; a test checks they agree).
   */
  static int perLeafTopK(int k, float leafProportion) {
    float expected = k * leafProportion;
    return (int) Math.max(1, expected + PER_LEAF_DEVIATIONS * Math.sqrt(expected * (1 - leafProportion)));
  }

  @Override
  protected TopDocs approximateSearch(LeafReaderContext context, AcceptDocs acceptDocs, int visitedLimit,
      KnnCollectorManager knnCollectorManager) throws IOException {
    boolean filtered = visitedLimit != Integer.MAX_VALUE; // an unfiltered search has no visit limit
    if (!filtered) {
      stats.graph();
      return graphWalk(context, acceptDocs, visitedLimit, knnCollectorManager);
    }
    long accepted = acceptDocs.cost();
    int segmentDocs = context.reader().maxDoc();
    int candidates = filteredCandidates(accepted, segmentDocs);
    if (exactIsCheaper(accepted, segmentDocs, candidates)) {
      chosenExact.add(context.ord);
      // An incomplete result makes Lucene score every accepted document exactly, without a graph walk.
      return GIVE_UP;
    }
    stats.graph();
    if (candidates < getK()) {
      TopDocs results = graphWalk(context, acceptDocs, visitedLimit, new TopKnnCollectorManager(candidates, searcher));
      if (results.totalHits.relation() == TotalHits.Relation.EQUAL_TO && results.scoreDocs.length >= needed) {
        filterSizedResults.put(context.ord, results); // Lucene asks for an exact search next: shorter than k
      } else {
        incomplete.put(context.ord, results);
      }
      return results;
    }
    TopDocs results = graphWalk(context, acceptDocs, visitedLimit, knnCollectorManager);
    if (results.totalHits.relation() == TotalHits.Relation.EQUAL_TO
        && results.scoreDocs.length < getK() && results.scoreDocs.length >= needed) {
      shortResults.put(context.ord, results);
    } else if (results.totalHits.relation() != TotalHits.Relation.EQUAL_TO || results.scoreDocs.length < needed) {
      incomplete.put(context.ord, results);
    }
    return results;
  }

  /** Lucene's HNSW search of one segment (tests stand in a walk that runs out of reachable nodes). */
  TopDocs graphWalk(LeafReaderContext context, AcceptDocs acceptDocs, int visitedLimit, KnnCollectorManager manager)
      throws IOException {
    return super.approximateSearch(context, acceptDocs, visitedLimit, manager);
  }

  @Override
  protected TopDocs exactSearch(LeafReaderContext context, DocIdSetIterator acceptIterator, QueryTimeout timeout)
      throws IOException {
    TopDocs sized = filterSizedResults.remove(context.ord);
    if (sized != null) {
      return sized;
    }
    TopDocs kept = shortResults.remove(context.ord);
    if (kept != null) {
      stats.shortGraphKept();
      return kept;
    }
    TopDocs walk = incomplete.remove(context.ord);
    if (chosenExact.remove(context.ord) || acceptIterator.cost() <= getK()) {
      stats.exactByCost(acceptIterator.cost());
    } else if (walk != null && walk.totalHits.relation() == TotalHits.Relation.EQUAL_TO) {
      TopDocs scanned = scannedSegments.get(context.ord);
      if (scanned != null) {
        return copy(scanned); // Lucene's second pass over a segment this search already scanned
      }
      stats.graphShortOfNeeded();
      deferredScans.put(walk, new DeferredScan(context, acceptIterator, timeout));
      return walk;
    } else {
      if (walk != null) {
        stats.graphVisitLimit();
      }
      stats.exactFallback(acceptIterator.cost());
    }
    return super.exactSearch(context, acceptIterator, timeout);
  }

  /**
   * Lucene's merge of the segments' hits, then the exact scans put off by walks that ran out of reachable
   * nodes ({@link #exactSearch}): a scan runs only where that segment could still place a hit among the
   * caller's {@code needed}, i.e. its walk's last hit is no worse than the merged list's {@code needed}th,
   * and the merge is redone with its result.
   *
   * <p>Why wait for the merge: in a live catalog a walk runs out mostly in a cluster of near-identical
   * vectors (one product's variants), which graphs built over such clusters cannot leave; the listings of
   * that cluster that were edited live in newer segments and fill the list from there. Scanning the old
   * segment for its own top list, as Lucene does, costs one score per accepted document of the largest
   * segment (in the live benchmark, 86k scores per scan and a large share of the slowest calls' CPU) for
   * hits the merge then drops.
   */
  @Override
  protected TopDocs mergeLeafResults(TopDocs[] perLeaf) {
    TopDocs merged = super.mergeLeafResults(perLeaf);
    if (deferredScans.isEmpty()) {
      return merged;
    }
    float bar = merged.scoreDocs.length >= needed ? merged.scoreDocs[needed - 1].score : Float.NEGATIVE_INFINITY;
    boolean scanned = false;
    for (int i = 0; i < perLeaf.length; i++) {
      DeferredScan scan = deferredScans.remove(perLeaf[i]);
      if (scan == null) {
        continue;
      }
      ScoreDoc[] walked = perLeaf[i].scoreDocs;
      if (walked.length > 0 && walked[walked.length - 1].score < bar) {
        stats.exactScanSkipped();
        continue;
      }
      perLeaf[i] = scan.run();
      scanned = true;
    }
    return scanned ? super.mergeLeafResults(perLeaf) : merged;
  }

  /** A copy whose hits can be moved to index-wide doc ids without changing {@code top}'s. */
  private static TopDocs copy(TopDocs top) {
    ScoreDoc[] hits = new ScoreDoc[top.scoreDocs.length];
    for (int i = 0; i < hits.length; i++) {
      hits[i] = new ScoreDoc(top.scoreDocs[i].doc, top.scoreDocs[i].score);
    }
    return new TopDocs(top.totalHits, hits);
  }

  /** An exact scan of one segment put off until the segments' hits are merged. */
  private final class DeferredScan {
    private final LeafReaderContext context;
    private final DocIdSetIterator acceptIterator;
    private final QueryTimeout timeout;

    DeferredScan(LeafReaderContext context, DocIdSetIterator acceptIterator, QueryTimeout timeout) {
      this.context = context;
      this.acceptIterator = acceptIterator;
      this.timeout = timeout;
    }

    /** The segment's exact top list, with index-wide doc ids as a merge expects. */
    TopDocs run() {
      try {
        stats.exactFallback(acceptIterator.cost());
        TopDocs exact = CostBasedKnnQuery.super.exactSearch(context, acceptIterator, timeout);
        scannedSegments.put(context.ord, copy(exact));
        for (ScoreDoc hit : exact.scoreDocs) {
          hit.doc += context.docBase;
        }
        return exact;
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
