package dev.facet.index;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts of how KNN searches were served, per segment searched: which path a filtered search took and how
 * often a graph search came back short. Thread-safe; diagnostics for benchmarks and operators.
 */
final class KnnStats {
  private final LongAdder graph = new LongAdder();
  private final LongAdder exactByCost = new LongAdder();
  private final LongAdder exactFallback = new LongAdder();
  private final LongAdder shortGraphKept = new LongAdder();
  private final LongAdder exactByCostDocs = new LongAdder();
  private final LongAdder exactFallbackDocs = new LongAdder();
  private final LongAdder graphVisitLimit = new LongAdder();
  private final LongAdder graphShortOfNeeded = new LongAdder();
  private final LongAdder exactScansSkipped = new LongAdder();

  /** A segment searched through the HNSW graph. */
  void graph() {
    graph.increment();
  }

  /** A filtered segment scored exactly because the filter was small (chosen up front, or Lucene's k rule). */
  void exactByCost(long docs) {
    exactByCost.increment();
    exactByCostDocs.add(docs);
  }

  /** A graph search that came back incomplete and was redone as an exact scan of every accepted document. */
  void exactFallback(long docs) {
    exactFallback.increment();
    exactFallbackDocs.add(docs);
  }

  /** A filtered graph search stopped by its visit limit (it visited as many nodes as the filter accepts). */
  void graphVisitLimit() {
    graphVisitLimit.increment();
  }

  /** A put-off exact scan not run: the segment's walk already found every hit it could place in the list. */
  void exactScanSkipped() {
    exactScansSkipped.increment();
  }

  /** A filtered graph search whose walk ended with fewer hits than the caller keeps, Lucene asking for a scan. */
  void graphShortOfNeeded() {
    graphShortOfNeeded.increment();
  }

  /** A graph search that came back with fewer candidates than asked but enough for the caller's k. */
  void shortGraphKept() {
    shortGraphKept.increment();
  }

  Map<String, Long> snapshot() {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("graph_searches", graph.sum());
    m.put("exact_by_cost", exactByCost.sum());
    m.put("exact_fallbacks", exactFallback.sum());
    m.put("short_graph_results_kept", shortGraphKept.sum());
    // Where exact scans go and why graph searches end in one: the documents they scored, and whether
    // the walk hit its visit limit or ran out of reachable accepted nodes.
    m.put("exact_by_cost_docs", exactByCostDocs.sum());
    m.put("exact_fallback_docs", exactFallbackDocs.sum());
    m.put("graph_visit_limits", graphVisitLimit.sum());
    m.put("graph_short_of_needed", graphShortOfNeeded.sum());
    m.put("exact_scans_skipped", exactScansSkipped.sum());
    return m;
  }
}
