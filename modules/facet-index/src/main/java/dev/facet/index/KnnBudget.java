package dev.facet.index;

/**
 * How many candidates a KNN search collects, as a function of the index size and the vector encoding.
 *
 * <p>HNSW recall at a fixed candidate-list size falls as the graph grows: the greedy walk has more regions to
 * get stuck in before it reaches the query's neighbourhood. The configured over-fetch was tuned where nothing
 * is hard (about {@value #REFERENCE_DOCS} documents), so beyond that size the list a 10-NN search needs grows
 * with the logarithm of the size, {@code 10 · overFetch · (1 + GROWTH · log2(n / REFERENCE_DOCS))}, and no
 * search collects fewer; a search for more neighbours keeps {@code k · overFetch} once that is longer (a
 * recommendation's 40 candidates at over-fetch 5 already collect 200, beyond what the 10-NN search needs at
 * 1M). A quantized graph additionally collects {@value #QUANTIZED_OVERSAMPLE} × as many candidates by
 * quantized score, all re-scored on the raw floats, because the quantization error reorders near-ties.
 */
final class KnnBudget {
  /** Index size up to which the configured over-fetch is used as is. */
  static final int REFERENCE_DOCS = 100_000;
  /** Growth of the candidate list per doubling of the index beyond {@link #REFERENCE_DOCS}. */
  static final double GROWTH = 0.75;
  /** The k whose candidate list is scaled with the index size. */
  static final int REFERENCE_K = 10;
  /** Quantized candidates collected per candidate kept after full-precision re-scoring. */
  static final int QUANTIZED_OVERSAMPLE = 2;
  /** Upper bound of any candidate list (Lucene's KNN k is an int; this bounds the work per query). */
  static final int MAX_CANDIDATES = 10_000;

  private KnnBudget() {}

  /** Candidates kept (after any re-scoring) for a search of {@code k} over {@code docs} documents. */
  static int candidates(int k, int overFetch, long docs) {
    double scale = docs <= REFERENCE_DOCS ? 1 : 1 + GROWTH * log2((double) docs / REFERENCE_DOCS);
    double scaled = Math.ceil(Math.min(k, REFERENCE_K) * overFetch * scale);
    return (int) Math.min(MAX_CANDIDATES, Math.max((long) k * overFetch, (long) scaled));
  }

  /** Candidates the graph collects: {@code candidates}, or more for a quantized graph whose hits are re-scored. */
  static int graphCandidates(int candidates, VectorFormat format) {
    return format.quantized() ? Math.min(MAX_CANDIDATES, candidates * QUANTIZED_OVERSAMPLE) : candidates;
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
