package dev.facet.index;

import java.io.IOException;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.knn.KnnCollectorManager;

/**
 * A filtered KNN query that picks, per segment and before searching, the cheaper of HNSW graph search and
 * exact scoring of every accepted document.
 *
 * <p>Lucene's own rule tries the graph first and falls back to exact search only once the graph search has
 * visited as many nodes as the filter accepts, so a selective filter pays for both: the wasted graph walk and
 * then the scan. Here the choice is made up front from the filter's cardinality {@code c} (known exactly, the
 * filter is a cached bitset). A graph search that must collect {@code candidates} accepted documents when a
 * fraction {@code s = c / n} of the {@code n} documents is accepted visits about {@code V / s} nodes, each a
 * random-access read plus a neighbour-list decode, where {@code V} grows with {@code candidates}; an exact
 * scan scores {@code c} vectors read in doc order. Exact wins when {@code c <= V / s}, i.e. when
 * {@code c² <= V · n}; {@code V} is modelled as {@value #GRAPH_VISITS_PER_CANDIDATE} × candidates (the
 * visits per collected candidate of an unfiltered search, measured with {@code facet bench index}).
 *
 * <p>Exact search returns the true top {@code k} of the accepted documents with the same similarity
 * scores as the graph search, so callers see the same result semantics, only exact. Not final: tests count
 * which searches take the exact path.
 */
class CostBasedKnnQuery extends KnnFloatVectorQuery {
  /**
   * Graph nodes an unfiltered search visits per candidate collected, in cost units of one exactly scored
   * vector (a graph visit costs a little more than a sequential exact score, which this folds in).
   */
  static final int GRAPH_VISITS_PER_CANDIDATE = 10;

  private static final TopDocs GIVE_UP =
      new TopDocs(new TotalHits(0, TotalHits.Relation.GREATER_THAN_OR_EQUAL_TO), new ScoreDoc[0]);

  /**
   * @param field vector field name
   * @param target query vector
   * @param candidates documents to return
   * @param filter accepted documents (null = all live documents)
   */
  CostBasedKnnQuery(String field, float[] target, int candidates, Query filter) {
    super(field, target, candidates, filter);
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

  @Override
  protected TopDocs approximateSearch(LeafReaderContext context, AcceptDocs acceptDocs, int visitedLimit,
      KnnCollectorManager knnCollectorManager) throws IOException {
    // An unfiltered search (no visited limit) always takes the graph.
    if (visitedLimit != Integer.MAX_VALUE
        && exactIsCheaper(acceptDocs.cost(), context.reader().maxDoc(), getK())) {
      // An incomplete result makes Lucene score every accepted document exactly, without a graph walk.
      return GIVE_UP;
    }
    return super.approximateSearch(context, acceptDocs, visitedLimit, knnCollectorManager);
  }
}
