package dev.facet.index;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.QueryTimeout;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.VectorUtil;
import org.junit.jupiter.api.Test;

class CostBasedKnnQueryTest {
  private static final int DOCS = 5000;
  private static final int DIMS = 16;
  private static final KnnStats STATS = new KnnStats();

  @Test
  void exactIsChosenForSelectiveFiltersOnlyAndNeverForUnfilteredSearch() {
    // c² <= 10 · candidates · n: 1M docs, 50 candidates -> exact up to about 22k accepted docs
    assertThat(CostBasedKnnQuery.exactIsCheaper(10_000, 1_000_000, 50)).isTrue();
    assertThat(CostBasedKnnQuery.exactIsCheaper(22_000, 1_000_000, 50)).isTrue();
    assertThat(CostBasedKnnQuery.exactIsCheaper(23_000, 1_000_000, 50)).isFalse();
    assertThat(CostBasedKnnQuery.exactIsCheaper(100_000, 1_000_000, 50)).isFalse();
    assertThat(CostBasedKnnQuery.exactIsCheaper(1_000_000, 1_000_000, 50)).isFalse();
    // a longer candidate list makes the graph dearer, so exact wins up to a larger filter
    assertThat(CostBasedKnnQuery.exactIsCheaper(30_000, 1_000_000, 100)).isTrue();
  }

  @Test
  void selectiveFilterIsScoredExactlyWithoutTheGraphAndBroadFilterUsesTheGraph() throws IOException {
    Random rnd = new Random(3);
    try (Directory dir = new ByteBuffersDirectory()) {
      float[][] vectors = writeIndex(dir, rnd);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        float[] q = TestListings.unitVector(rnd, DIMS);
        AtomicInteger exact = new AtomicInteger();
        TopDocs rare = searcher.search(new Counting("v", q, 10, new TermQuery(new Term("sel", "rare")), exact), 10);
        assertThat(exact).hasValue(1);
        int[] expected = bruteForce(searcher, vectors, q, 10, i -> i % 100 == 0);
        assertThat(ids(searcher, rare)).containsExactly(expected);
        searcher.search(new Counting("v", q, 10, new TermQuery(new Term("half", "even")), exact), 10);
        searcher.search(new Counting("v", q, 10, null, exact), 10);
        assertThat(exact).as("the 50% filter and the unfiltered search walk the graph").hasValue(1);
        assertThat(STATS.snapshot()).containsEntry("exact_by_cost", 1L).containsEntry("graph_searches", 2L)
            .containsEntry("exact_fallbacks", 0L);
      }
    }
  }

  @Test
  void filteredCandidateListIsSizedForTheDocumentsTheFilterAccepts() {
    // 1M documents, list of 175 for all of them; the budget gives 50 up to 100k documents, 100 up to 500k
    CostBasedKnnQuery q = new CostBasedKnnQuery("v", new float[] {1, 0}, 175, null, 10, new KnnStats(), 1_000_000,
        docs -> docs <= 100_000 ? 50 : docs <= 500_000 ? 100 : 175);
    assertThat(q.filteredCandidates(100_000, 1_000_000)).isEqualTo(50);
    assertThat(q.filteredCandidates(500_000, 1_000_000)).isEqualTo(100);
    assertThat(q.filteredCandidates(900_000, 1_000_000)).isEqualTo(175);
    // a segment's share of the filter stands for the same share of the whole index
    assertThat(q.filteredCandidates(25_000, 250_000)).isEqualTo(50);
    assertThat(q.filteredCandidates(240_000, 250_000)).isEqualTo(175);
    // never fewer than the caller keeps
    CostBasedKnnQuery few = new CostBasedKnnQuery("v", new float[] {1, 0}, 175, null, 40, new KnnStats(), 1_000_000,
        docs -> 20);
    assertThat(few.filteredCandidates(100_000, 1_000_000)).isEqualTo(40);
  }

  @Test
  void broadFilterWalksTheGraphWithTheShorterListAndKeepsItsHits() throws IOException {
    Random rnd = new Random(5);
    try (Directory dir = new ByteBuffersDirectory()) {
      float[][] vectors = writeIndex(dir, rnd);
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        KnnStats stats = new KnnStats();
        int found = 0;
        int queries = 20;
        for (int t = 0; t < queries; t++) {
          float[] q = TestListings.unitVector(rnd, DIMS);
          // 200 candidates for all 5000 documents, 40 for the 2500 the filter accepts
          CostBasedKnnQuery knn = new CostBasedKnnQuery("v", q, 200, new TermQuery(new Term("half", "even")), 10,
              stats, DOCS, docs -> docs >= DOCS ? 200 : 40);
          TopDocs top = searcher.search(knn, 200);
          assertThat(top.scoreDocs).as("the filter-sized list, not the whole index's").hasSize(40);
          int[] expected = bruteForce(searcher, vectors, q, 10, i -> i % 2 == 0);
          int[] got = Arrays.copyOf(ids(searcher, top), 10);
          found += (int) Arrays.stream(got).filter(id -> Arrays.stream(expected).anyMatch(e -> e == id)).count();
        }
        assertThat(found / (10.0 * queries)).as("recall@10 of the shorter list").isGreaterThanOrEqualTo(0.95);
        assertThat(stats.snapshot()).containsEntry("graph_searches", (long) queries)
            .containsEntry("exact_by_cost", 0L).containsEntry("exact_fallbacks", 0L);
      }
    }
  }

  @Test
  void walkTrappedInAClusterScansItsSegmentOnlyWhenTheMergeStillNeedsIt() throws IOException {
    Random rnd = new Random(21);
    float[] near = TestListings.unitVector(rnd, DIMS);
    List<float[]> vectors = new ArrayList<>();
    try (Directory dir = new ByteBuffersDirectory()) {
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
        for (int i = 0; i < DOCS; i++) { // the catalog, one segment
          add(w, vectors, TestListings.unitVector(rnd, DIMS));
        }
        w.commit();
        for (int i = 0; i < 60; i++) { // edited listings close to `near`, a second segment
          float[] v = near.clone();
          v[i % DIMS] += 0.01f;
          add(w, vectors, VectorUtil.l2normalize(v));
        }
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertThat(reader.leaves()).hasSize(2);
        TermQuery broad = new TermQuery(new Term("tenth", "no"));
        // the catalog segment's walk stops after 20 hits; the edited segment fills the 40 asked for with
        // better ones, so scanning the catalog segment could add nothing
        KnnStats skipped = new KnnStats();
        TopDocs top = searcher.search(new TrappedWalk(near, broad, skipped), 40);
        assertSameScores(top, vectors, near, 40);
        assertThat(skipped.snapshot()).containsEntry("exact_fallbacks", 0L);
        assertThat(skipped.snapshot().get("exact_scans_skipped")).as("each pass over the segment").isPositive();
        // asked far from the edits, the trapped walk's hits are among the best: its segment is scanned
        float[] far = TestListings.unitVector(rnd, DIMS);
        KnnStats scanned = new KnnStats();
        top = searcher.search(new TrappedWalk(far, broad, scanned), 40);
        assertSameScores(top, vectors, far, 40);
        assertThat(scanned.snapshot()).containsEntry("exact_fallbacks", 1L).containsEntry("exact_scans_skipped", 0L);
      }
    }
  }

  /** A search whose walk of the largest segment stops after 20 hits, as walks trapped in a cluster do. */
  private static final class TrappedWalk extends CostBasedKnnQuery {
    TrappedWalk(float[] target, org.apache.lucene.search.Query filter, KnnStats stats) {
      super("v", target, 200, filter, 40, stats, DOCS, docs -> 200);
    }

    @Override
    TopDocs graphWalk(LeafReaderContext context, org.apache.lucene.search.AcceptDocs acceptDocs, int visitedLimit,
        org.apache.lucene.search.knn.KnnCollectorManager manager) throws IOException {
      TopDocs walked = super.graphWalk(context, acceptDocs, visitedLimit, manager);
      if (context.reader().maxDoc() < DOCS) {
        return walked;
      }
      return new TopDocs(new org.apache.lucene.search.TotalHits(20, org.apache.lucene.search.TotalHits.Relation.EQUAL_TO),
          Arrays.copyOf(walked.scoreDocs, 20));
    }
  }

  private static void add(IndexWriter w, List<float[]> vectors, float[] v) throws IOException {
    int i = vectors.size();
    vectors.add(v);
    Document d = new Document();
    d.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.DOT_PRODUCT));
    d.add(new StringField("id", Integer.toString(i), Field.Store.YES));
    d.add(new StringField("tenth", i % 10 == 0 ? "yes" : "no", Field.Store.NO));
    w.addDocument(d);
  }

  /** The hits' scores are the true top {@code k}'s among the documents "tenth" accepts (ties make ids arbitrary). */
  private static void assertSameScores(TopDocs top, List<float[]> vectors, float[] q, int k) {
    double[] expected = IntStream.range(0, vectors.size()).filter(i -> i % 10 != 0)
        .mapToDouble(i -> VectorUtil.dotProduct(q, vectors.get(i))).boxed().sorted(Comparator.reverseOrder())
        .limit(k).mapToDouble(Double::doubleValue).toArray();
    assertThat(top.scoreDocs).hasSize(k);
    for (int r = 0; r < k; r++) {
      assertThat((double) top.scoreDocs[r].score).as("rank %d", r)
          .isCloseTo((1 + expected[r]) / 2, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void perLeafShareIsLucenesOwnRule() throws Exception {
    java.lang.reflect.Method lucene = org.apache.lucene.search.KnnFloatVectorQuery.class.getSuperclass()
        .getDeclaredMethod("perLeafTopKCalculation", int.class, float.class);
    lucene.setAccessible(true);
    for (int k : new int[] {1, 10, 40, 175, 1000}) {
      for (float p : new float[] {0.001f, 0.01f, 0.1f, 0.33f, 0.5f, 0.9f, 1f}) {
        assertThat(CostBasedKnnQuery.perLeafTopK(k, p)).as("k=%d p=%f", k, p).isEqualTo(lucene.invoke(null, k, p));
      }
    }
  }

  @Test
  void filteredSegmentWithDeletionsAnswersAsLuceneDoes() throws IOException {
    Random rnd = new Random(12);
    try (Directory dir = new ByteBuffersDirectory()) {
      float[][] vectors = writeIndex(dir, rnd);
      // deletions in the segment, as a live catalog's edits leave them
      try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
        for (int i = 1; i < DOCS; i += 7) {
          w.deleteDocuments(new Term("id", Integer.toString(i)));
        }
      }
      java.util.function.IntPredicate live = i -> i % 7 != 1;
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertThat(reader.leaves().get(0).reader().getLiveDocs()).isNotNull();
        FilterBitSets bits = new FilterBitSets();
        int same = 0;
        int found = 0;
        int queries = 20;
        for (int t = 0; t < queries; t++) {
          float[] q = TestListings.unitVector(rnd, DIMS);
          org.apache.lucene.search.Query filter = bits.query(new TermQuery(new Term("half", "even")), java.util.List.of("0", "2"));
          KnnStats stats = new KnnStats();
          TopDocs ours = searcher.search(new CostBasedKnnQuery("v", q, 50, filter, 10, stats), 10);
          TopDocs lucenes = searcher.search(new org.apache.lucene.search.KnnFloatVectorQuery("v", q, 50, filter), 10);
          same += Arrays.equals(ids(searcher, ours), ids(searcher, lucenes)) ? 1 : 0;
          int[] expected = bruteForce(searcher, vectors, q, 10, i -> live.test(i) && i % 2 == 0 && i != 0 && i != 2);
          int[] got = ids(searcher, ours);
          assertThat(Arrays.stream(got).allMatch(i -> live.test(i) && i % 2 == 0 && i != 0 && i != 2))
              .as("no deleted or excluded document").isTrue();
          found += (int) Arrays.stream(got).filter(id -> Arrays.stream(expected).anyMatch(e -> e == id)).count();
        }
        assertThat(same).as("the same hits as Lucene's own search").isEqualTo(queries);
        assertThat(found / (10.0 * queries)).isGreaterThanOrEqualTo(0.95);
      }
    }
  }

  /**
   * {@value #DOCS} random unit vectors in one segment; field {@code sel} is "rare" on every 100th document,
   * {@code half} "even" on every other one. Returns the vectors by document id.
   */
  private static float[][] writeIndex(Directory dir, Random rnd) throws IOException {
    float[][] vectors = new float[DOCS][];
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int i = 0; i < DOCS; i++) {
        vectors[i] = TestListings.unitVector(rnd, DIMS);
        Document d = new Document();
        d.add(new KnnFloatVectorField("v", vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
        d.add(new StringField("id", Integer.toString(i), Field.Store.YES));
        d.add(new StringField("sel", i % 100 == 0 ? "rare" : "common", Field.Store.NO));
        d.add(new StringField("half", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
        w.addDocument(d);
      }
      w.forceMerge(1);
    }
    return vectors;
  }

  private static int[] bruteForce(IndexSearcher s, float[][] vectors, float[] q, int k,
      java.util.function.IntPredicate accept) {
    return IntStream.range(0, vectors.length).filter(accept).boxed()
        .sorted(Comparator.comparingDouble(i -> -VectorUtil.dotProduct(q, vectors[i])))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }

  private static int[] ids(IndexSearcher s, TopDocs top) throws IOException {
    int[] out = new int[top.scoreDocs.length];
    for (int i = 0; i < out.length; i++) {
      ScoreDoc sd = top.scoreDocs[i];
      out[i] = Integer.parseInt(s.storedFields().document(sd.doc).get("id"));
    }
    return Arrays.stream(out).toArray();
  }

  /** Counts the segments searched exactly. */
  private static final class Counting extends CostBasedKnnQuery {
    private final AtomicInteger exact;

    Counting(String field, float[] target, int k, org.apache.lucene.search.Query filter, AtomicInteger exact) {
      super(field, target, k, filter, k, STATS);
      this.exact = exact;
    }

    @Override
    protected TopDocs exactSearch(LeafReaderContext context, DocIdSetIterator acceptIterator, QueryTimeout timeout)
        throws IOException {
      exact.incrementAndGet();
      return super.exactSearch(context, acceptIterator, timeout);
    }
  }
}
