package dev.facet.index;

import dev.facet.core.BackgroundPriority;
import dev.facet.core.FacetException;
import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.ConcurrentMergeScheduler;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexNotFoundException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ControlledRealTimeReopenThread;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.RescoreTopNQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.ReferenceManager;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.QueryBuilder;

/**
 * The embedded Lucene catalog index: one document per listing with the listing as JSON, BM25 text fields
 * (Chinese ICU and English analysis), keyword/numeric attributes for filtering, and HNSW vector fields
 * ({@link VectorField}).
 *
 * <p>Thread-safe. Writes ({@link #upsert}, {@link #delete}, {@link #updateJointVectors}) become visible to
 * searches and {@link #get} after at most {@link IndexSettings#refreshMillis()} (a background reopen thread
 * refreshes the near-real-time searcher) or immediately after {@link #refresh()}; they become durable on
 * {@link #commit(Map)} (and on {@link #close()}, which commits pending changes with the last commit's user
 * data).
 */
public final class CatalogIndex implements CatalogSearch, AutoCloseable {
  /** Reciprocal-rank fusion constant of {@link #hybrid}. */
  static final int RRF_K = 60;

  private final Path path;
  private final IndexSettings settings;
  private final Directory directory;
  private final ExecutorService mergeExec;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ControlledRealTimeReopenThread<IndexSearcher> reopener;
  private final Analyzer chinese;
  private final Analyzer english;
  /** Read lock: single-document writes; write lock: read-modify-write of stored documents. */
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final FilterBitSets filterBits = new FilterBitSets();
  private final KnnStats knnStats = new KnnStats();

  private CatalogIndex(Path path, IndexSettings settings) throws IOException {
    this.path = path;
    this.settings = settings;
    Files.createDirectories(path);
    this.directory = FSDirectory.open(path);
    try {
      checkExistingDims(directory, settings);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
    this.mergeExec = settings.mergeThreads() > 1
        ? Executors.newFixedThreadPool(settings.mergeThreads(),
            BackgroundPriority.loweredDaemons("facet-hnsw-merge", BackgroundMerges.STEPS))
        : null;
    this.chinese = CatalogAnalyzers.chinese();
    this.english = CatalogAnalyzers.english();
    ConcurrentMergeScheduler cms = new BackgroundMerges();
    cms.setMaxMergesAndThreads(settings.mergeThreads() + 2, settings.mergeThreads());
    IndexWriterConfig iwc = new IndexWriterConfig(CatalogAnalyzers.perField(chinese, english))
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
        .setCodec(new CatalogCodec(settings, mergeExec))
        .setMergeScheduler(cms)
        .setRAMBufferSizeMB(settings.ramBufferMb())
        .setCommitOnClose(true);
    IndexWriter w = null;
    try {
      w = new IndexWriter(directory, iwc);
      this.writer = w;
      this.searchers = new SearcherManager(w, new SearcherFactory());
    } catch (IOException | RuntimeException e) {
      if (w != null) {
        w.rollback();
      }
      shutdownExec();
      directory.close();
      throw e;
    }
    this.reopener = new ControlledRealTimeReopenThread<>(writer, searchers, settings.refreshMillis() / 1000.0, 0.005);
    reopener.setName("facet-index-refresh");
    reopener.setDaemon(true);
    reopener.start();
  }

  /**
   * Opens (creating when absent) the index in {@code dir}.
   *
   * @throws FacetException if the directory holds an index with other vector dimensions, or cannot be opened
   */
  public static CatalogIndex open(Path dir, IndexSettings settings) {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(settings, "settings");
    try {
      return new CatalogIndex(dir, settings);
    } catch (IOException e) {
      throw new FacetException("cannot open the catalog index at " + dir + ": " + e.getMessage(), e);
    }
  }

  /** The settings this index was opened with. */
  public IndexSettings settings() {
    return settings;
  }

  /** The index directory. */
  public Path path() {
    return path;
  }

  /** Adds the listing, replacing any listing with the same id. */
  public void upsert(IndexedListing listing) {
    Objects.requireNonNull(listing, "listing");
    Document doc = CatalogSchema.toDocument(listing, settings);
    lock.readLock().lock();
    try {
      writer.updateDocument(CatalogSchema.idTerm(listing.id()), doc);
    } catch (IOException e) {
      throw new FacetException("cannot index listing " + listing.id() + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Deletes a listing.
   *
   * @return whether a listing with this id existed (including not yet refreshed upserts)
   */
  public boolean delete(String id) {
    requireId(id);
    lock.writeLock().lock();
    try {
      searchers.maybeRefreshBlocking();
      boolean existed = withSearcher(s -> s.count(new TermQuery(CatalogSchema.idTerm(id))) > 0);
      if (existed) {
        writer.deleteDocuments(CatalogSchema.idTerm(id));
      }
      return existed;
    } catch (IOException e) {
      throw new FacetException("cannot delete listing " + id + ": " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** The content hash stored with the listing, as of the last refresh. */
  public Optional<String> contentHash(String id) {
    requireId(id);
    return withSearcher(s -> {
      TopDocs top = s.search(new TermQuery(CatalogSchema.idTerm(id)), 1);
      if (top.scoreDocs.length == 0) {
        return Optional.empty();
      }
      Document d = s.storedFields().document(top.scoreDocs[0].doc, Set.of(CatalogSchema.CONTENT_HASH));
      return Optional.of(d.get(CatalogSchema.CONTENT_HASH));
    });
  }

  @Override
  public Optional<IndexedListing> get(String id) {
    return get(null, id);
  }

  private Optional<IndexedListing> get(IndexSearcher pinned, String id) {
    requireId(id);
    return withSearcher(pinned, s -> load(s, id));
  }

  /** {@inheritDoc} All from one searcher: one consistent snapshot. */
  @Override
  public Map<String, IndexedListing> getAll(Collection<String> ids) {
    return getAll(null, ids);
  }

  private Map<String, IndexedListing> getAll(IndexSearcher pinned, Collection<String> ids) {
    ids.forEach(CatalogIndex::requireId);
    return withSearcher(pinned, s -> {
      Map<String, IndexedListing> out = new LinkedHashMap<>();
      for (String id : ids) {
        load(s, id).ifPresent(doc -> out.put(id, doc));
      }
      return out;
    });
  }

  /**
   * Sets the joint-model vectors of listings (re-indexing each document with its stored content and all its
   * vectors, as Lucene cannot update a vector in place). Ids not in the index are skipped.
   *
   * @return the number of listings updated
   */
  public int updateJointVectors(Map<String, float[]> vectors) {
    Objects.requireNonNull(vectors, "vectors");
    for (Map.Entry<String, float[]> e : vectors.entrySet()) {
      requireId(e.getKey());
      Objects.requireNonNull(e.getValue(), () -> "joint vector of " + e.getKey());
      CatalogSchema.checkVector(e.getKey(), VectorField.JOINT, e.getValue(), settings);
    }
    lock.writeLock().lock();
    try {
      searchers.maybeRefreshBlocking();
      return withSearcher(s -> {
        int updated = 0;
        for (Map.Entry<String, float[]> e : vectors.entrySet()) {
          Optional<IndexedListing> current = load(s, e.getKey());
          if (current.isPresent()) {
            IndexedListing next = current.get().withJoint(e.getValue());
            writer.updateDocument(CatalogSchema.idTerm(e.getKey()), CatalogSchema.toDocument(next, settings));
            updated++;
          }
        }
        return updated;
      });
    } catch (IOException e) {
      throw new FacetException("cannot update joint vectors: " + e.getMessage(), e);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Visits the id of every listing, as of the last refresh. */
  public void forEachId(Consumer<String> visitor) {
    Objects.requireNonNull(visitor, "visitor");
    withSearcher(s -> {
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        LeafReader leaf = ctx.reader();
        SortedDocValues ids = leaf.getSortedDocValues(CatalogSchema.ID);
        if (ids == null) {
          continue;
        }
        Bits live = leaf.getLiveDocs();
        for (int doc = ids.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = ids.nextDoc()) {
          if (live == null || live.get(doc)) {
            visitor.accept(ids.lookupOrd(ids.ordValue()).utf8ToString());
          }
        }
      }
      return null;
    });
  }

  /** The ids of all listings, as of the last refresh. */
  public Set<String> ids() {
    Set<String> out = new HashSet<>();
    forEachId(out::add);
    return out;
  }

  /** Number of listings, as of the last refresh. */
  public int size() {
    return withSearcher(s -> s.getIndexReader().numDocs());
  }

  /** Makes all writes so far visible to searches now. */
  public void refresh() {
    try {
      searchers.maybeRefreshBlocking();
    } catch (IOException e) {
      throw new FacetException("cannot refresh the catalog index: " + e.getMessage(), e);
    }
  }

  /**
   * Durably commits all writes so far with the given user data (e.g. an ingestion checkpoint), replacing the
   * previous commit's user data.
   */
  public void commit(Map<String, String> userData) {
    Objects.requireNonNull(userData, "userData");
    Map<String, String> copy = new LinkedHashMap<>(userData);
    lock.readLock().lock();
    try {
      writer.setLiveCommitData(copy.entrySet());
      writer.commit();
    } catch (IOException e) {
      throw new FacetException("cannot commit the catalog index at " + path + ": " + e.getMessage(), e);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** User data of the last commit on disk; empty when the index was never committed. */
  public Map<String, String> lastCommitUserData() {
    try {
      return Map.copyOf(SegmentInfos.readLatestCommit(directory).getUserData());
    } catch (IndexNotFoundException e) {
      return Map.of();
    } catch (IOException e) {
      throw new FacetException("cannot read the last commit of " + path + ": " + e.getMessage(), e);
    }
  }

  /** Merges the index down to at most {@code maxSegments} segments, waiting for the merge. */
  public void forceMerge(int maxSegments) {
    if (maxSegments < 1) {
      throw new IllegalArgumentException("maxSegments must be >= 1, got " + maxSegments);
    }
    try {
      writer.forceMerge(maxSegments, true);
    } catch (IOException e) {
      throw new FacetException("cannot merge the catalog index at " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * How KNN searches were served since the index was opened, counted per segment searched (diagnostics):
   * {@code graph_searches}, {@code exact_by_cost} (filtered segments scored exactly because the filter was
   * small), {@code exact_fallbacks} (graph searches redone as an exact scan) and
   * {@code short_graph_results_kept} (graph searches that found fewer candidates than asked but at least k).
   */
  public Map<String, Long> knnStats() {
    return knnStats.snapshot();
  }

  /** Number of segments of the current searcher (diagnostics). */
  public int segmentCount() {
    return withSearcher(s -> s.getIndexReader().leaves().size());
  }

  @Override
  public List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds) {
    return knn(null, field, query, k, filter, excludeIds);
  }

  private List<SearchHit> knn(IndexSearcher pinned, VectorField field, float[] query, int k, Filter filter,
      Set<String> excludeIds) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(query, "query");
    checkK(k);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(excludeIds, "excludeIds");
    checkQueryVector(field, query);
    return withSearcher(pinned, s -> toHits(s, s.search(knnQuery(s, field, query, k, filter, excludeIds), k).scoreDocs));
  }

  @Override
  public List<VectorHit> knnVectors(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds,
      Set<VectorField> load) {
    return knnVectors(null, field, query, k, filter, excludeIds, load);
  }

  private List<VectorHit> knnVectors(IndexSearcher pinned, VectorField field, float[] query, int k, Filter filter,
      Set<String> excludeIds, Set<VectorField> load) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(query, "query");
    checkK(k);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(excludeIds, "excludeIds");
    Objects.requireNonNull(load, "load");
    checkQueryVector(field, query);
    return withSearcher(pinned, s -> vectorHits(s, s.search(knnQuery(s, field, query, k, filter, excludeIds), k).scoreDocs, load));
  }

  @Override
  public Map<String, float[]> vectors(VectorField field, Collection<String> ids) {
    return vectors(null, field, ids);
  }

  private Map<String, float[]> vectors(IndexSearcher pinned, VectorField field, Collection<String> ids) {
    Objects.requireNonNull(field, "field");
    ids.forEach(CatalogIndex::requireId);
    return withSearcher(pinned, s -> {
      Map<String, float[]> out = new LinkedHashMap<>();
      // One terms enum and postings enum per segment for all ids; each id lives in one segment.
      Map<String, float[]> found = new HashMap<>();
      for (LeafReaderContext ctx : s.getIndexReader().leaves()) {
        Terms terms = ctx.reader().terms(CatalogSchema.ID);
        if (terms == null) {
          continue;
        }
        TermsEnum te = terms.iterator();
        PostingsEnum postings = null;
        Bits live = ctx.reader().getLiveDocs();
        for (String id : ids) {
          if (found.containsKey(id) || !te.seekExact(new BytesRef(id))) {
            continue;
          }
          postings = te.postings(postings, PostingsEnum.NONE);
          for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
            if (live == null || live.get(d)) {
              found.put(id, vector(ctx.reader(), field, d));
              break;
            }
          }
        }
      }
      for (String id : ids) {
        float[] v = found.get(id);
        if (v != null) {
          out.put(id, v);
        }
      }
      return out;
    });
  }

  /** The KNN query over {@code s}, its candidate list sized for the index ({@link KnnBudget}). */
  private Query knnQuery(IndexSearcher s, VectorField field, float[] query, int k, Filter filter,
      Set<String> excludeIds) {
    int docs = s.getIndexReader().numDocs();
    int candidates = KnnBudget.candidates(k, settings.overFetch(), docs);
    // The filter as a cached per-segment bitset minus the exclusions: Lucene's KNN search uses it as
    // its accepted docs directly instead of scanning the filter's matches on every query.
    Query pre = filterBits.query(CatalogSchema.filterQuery(filter, Set.of()), excludeIds);
    Query q = new CostBasedKnnQuery(field.fieldName(), query, KnnBudget.graphCandidates(candidates, settings.format()),
        pre, k, knnStats, docs, searched -> KnnBudget.graphCandidates(
            KnnBudget.candidates(k, settings.overFetch(), searched), settings.format()));
    if (settings.format().quantized()) {
      // HNSW scores came from the quantized copy; re-score the candidates on the raw float vectors.
      q = RescoreTopNQuery.createFullPrecisionRescorerQuery(q, query, field.fieldName(), candidates);
    }
    return q;
  }

  @Override
  public List<SearchHit> bm25(String text, int k, Filter filter, Set<String> excludeIds) {
    return bm25(null, text, k, filter, excludeIds);
  }

  private List<SearchHit> bm25(IndexSearcher pinned, String text, int k, Filter filter, Set<String> excludeIds) {
    Objects.requireNonNull(text, "text");
    checkK(k);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(excludeIds, "excludeIds");
    Query q = bm25Query(text, filter, excludeIds);
    if (q == null) {
      return List.of();
    }
    return withSearcher(pinned, s -> toHits(s, s.search(q, k).scoreDocs));
  }

  /** The full-text query with its pre-filter, or null when the text has no searchable terms. */
  private Query bm25Query(String text, Filter filter, Set<String> excludeIds) {
    if (text.isBlank()) {
      return null;
    }
    BooleanQuery.Builder textQuery = new BooleanQuery.Builder();
    boolean any = false;
    QueryBuilder zh = new QueryBuilder(chinese);
    QueryBuilder en = new QueryBuilder(english);
    for (Map.Entry<String, Float> source : CatalogAnalyzers.TEXT_SOURCES.entrySet()) {
      float boost = source.getValue();
      any |= addBoosted(textQuery, zh.createBooleanQuery(source.getKey() + CatalogAnalyzers.ZH, text), boost);
      // Adjacent Chinese words (e.g. 玫瑰 金 for 玫瑰金) score above scattered ones.
      any |= addBoosted(textQuery, zh.createPhraseQuery(source.getKey() + CatalogAnalyzers.ZH, text), boost);
      any |= addBoosted(textQuery, en.createBooleanQuery(source.getKey() + CatalogAnalyzers.EN, text), boost);
    }
    if (!any) {
      return null;
    }
    BooleanQuery.Builder b = new BooleanQuery.Builder().add(textQuery.build(), Occur.MUST);
    Query pre = CatalogSchema.filterQuery(filter, excludeIds);
    if (pre != null) {
      b.add(pre, Occur.FILTER);
    }
    return b.build();
  }

  private static boolean addBoosted(BooleanQuery.Builder b, Query q, float boost) {
    if (q == null) {
      return false;
    }
    b.add(new org.apache.lucene.search.BoostQuery(q, boost), Occur.SHOULD);
    return true;
  }

  @Override
  public List<SearchHit> hybrid(String text, float[] textVector, int k, Filter filter, Set<String> excludeIds) {
    return hybrid(null, text, textVector, k, filter, excludeIds);
  }

  private List<SearchHit> hybrid(IndexSearcher pinned, String text, float[] textVector, int k, Filter filter,
      Set<String> excludeIds) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(textVector, "textVector");
    checkK(k);
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(excludeIds, "excludeIds");
    checkQueryVector(VectorField.TEXT, textVector);
    int depth = Math.min(MAX_K, Math.max(k, 50));
    Query lexical = bm25Query(text, filter, excludeIds);
    return withSearcher(pinned, s -> {
      Query semantic = knnQuery(s, VectorField.TEXT, textVector, depth, filter, excludeIds);
      Map<Integer, Float> fused = new HashMap<>();
      if (lexical != null) {
        addRrf(fused, s.search(lexical, depth).scoreDocs);
      }
      addRrf(fused, s.search(semantic, depth).scoreDocs);
      List<Map.Entry<Integer, Float>> ranked = new ArrayList<>(fused.entrySet());
      // Ties broken by doc id for a deterministic order.
      ranked.sort((a, b) -> {
        int c = Float.compare(b.getValue(), a.getValue());
        return c != 0 ? c : Integer.compare(a.getKey(), b.getKey());
      });
      int n = Math.min(k, ranked.size());
      ScoreDoc[] top = new ScoreDoc[n];
      for (int i = 0; i < n; i++) {
        top[i] = new ScoreDoc(ranked.get(i).getKey(), ranked.get(i).getValue());
      }
      return toHits(s, top);
    });
  }

  private static void addRrf(Map<Integer, Float> fused, ScoreDoc[] ranked) {
    for (int rank = 0; rank < ranked.length; rank++) {
      fused.merge(ranked[rank].doc, 1f / (RRF_K + rank + 1), Float::sum);
    }
  }

  @Override
  public void close() {
    IOException failure = null;
    try {
      reopener.close();
      searchers.close();
    } catch (IOException e) {
      failure = e;
    }
    try {
      writer.close();
    } catch (IOException e) {
      failure = failure == null ? e : failure;
    } finally {
      shutdownExec();
      try {
        directory.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw new FacetException("error closing the catalog index at " + path + ": " + failure.getMessage(), failure);
    }
  }

  /**
   * A view of the index frozen at the latest refresh: every search through it reads the same point in
   * time, whatever is written or refreshed meanwhile, until it is closed. A caller that must pair what
   * it reads with state kept outside the index (the model whose vectors these are) holds one view for
   * the whole request.
   */
  public View openView() {
    try {
      return new View(searchers.acquire());
    } catch (IOException e) {
      throw new FacetException("cannot open a view of the catalog index at " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Calls {@code listener} around every refresh of the searcher, background ones included, on the
   * refreshing thread and while no other refresh can run.
   */
  public void addRefreshListener(ReferenceManager.RefreshListener listener) {
    searchers.addListener(listener);
  }

  /** One point in time of the index; see {@link #openView()}. Close it to let Lucene free that reader. */
  public final class View implements CatalogSearch, AutoCloseable {
    private final IndexSearcher searcher;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private View(IndexSearcher searcher) {
      this.searcher = searcher;
    }

    @Override
    public List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds) {
      return CatalogIndex.this.knn(searcher, field, query, k, filter, excludeIds);
    }

    @Override
    public List<VectorHit> knnVectors(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds,
        Set<VectorField> load) {
      return CatalogIndex.this.knnVectors(searcher, field, query, k, filter, excludeIds, load);
    }

    @Override
    public Map<String, float[]> vectors(VectorField field, Collection<String> ids) {
      return CatalogIndex.this.vectors(searcher, field, ids);
    }

    @Override
    public List<SearchHit> bm25(String text, int k, Filter filter, Set<String> excludeIds) {
      return CatalogIndex.this.bm25(searcher, text, k, filter, excludeIds);
    }

    @Override
    public List<SearchHit> hybrid(String text, float[] textVector, int k, Filter filter, Set<String> excludeIds) {
      return CatalogIndex.this.hybrid(searcher, text, textVector, k, filter, excludeIds);
    }

    @Override
    public Optional<IndexedListing> get(String id) {
      return CatalogIndex.this.get(searcher, id);
    }

    @Override
    public Map<String, IndexedListing> getAll(Collection<String> ids) {
      return CatalogIndex.this.getAll(searcher, ids);
    }

    /** Number of listings in this view. */
    public int size() {
      return searcher.getIndexReader().numDocs();
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        try {
          searchers.release(searcher);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  // ---- internals

  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(SearcherFunction<T> fn) {
    return withSearcher(null, fn);
  }

  /** Runs {@code fn} on {@code pinned} (a {@link View}'s searcher), or on the latest searcher when null. */
  private <T> T withSearcher(IndexSearcher pinned, SearcherFunction<T> fn) {
    if (pinned != null) {
      try {
        return fn.apply(pinned);
      } catch (IOException e) {
        throw new FacetException("catalog index read failed at " + path + ": " + e.getMessage(), e);
      }
    }
    IndexSearcher s;
    try {
      s = searchers.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return fn.apply(s);
    } catch (IOException e) {
      throw new FacetException("catalog index read failed at " + path + ": " + e.getMessage(), e);
    } finally {
      try {
        searchers.release(s);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static final Map.Entry<VectorField, float[]>[] ENTRY_VECTORS = new Map.Entry[0];
  @SuppressWarnings("unchecked")
  private static final Map.Entry<String, String>[] ENTRY_STRINGS = new Map.Entry[0];

  /**
   * Ids (from doc values) and the requested vectors of the hits, visiting documents in index order so
   * that every leaf's doc-values and vector iterators only move forward; the result keeps hit order.
   */
  private static List<VectorHit> vectorHits(IndexSearcher s, ScoreDoc[] docs, Set<VectorField> load)
      throws IOException {
    Integer[] order = inDocOrder(docs);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    VectorHit[] out = new VectorHit[docs.length];
    LeafReaderContext ctx = null;
    SortedDocValues ids = null;
    Map<VectorField, FloatVectorValues> values = new java.util.EnumMap<>(VectorField.class);
    Map<VectorField, KnnVectorValues.DocIndexIterator> iterators = new java.util.EnumMap<>(VectorField.class);
    SortedSetDocValues[] attributes = new SortedSetDocValues[HIT_ATTRIBUTES.size()];
    for (int i : order) {
      int doc = docs[i].doc;
      if (ctx == null || doc >= ctx.docBase + ctx.reader().maxDoc()) {
        ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
        ids = ctx.reader().getSortedDocValues(CatalogSchema.ID);
        values.clear();
        iterators.clear();
        for (int a = 0; a < attributes.length; a++) {
          attributes[a] = ctx.reader().getSortedSetDocValues(HIT_ATTRIBUTES.get(a));
        }
        for (VectorField f : load) {
          FieldInfo info = ctx.reader().getFieldInfos().fieldInfo(f.fieldName());
          FloatVectorValues v = info == null || !info.hasVectorValues() ? null : ctx.reader().getFloatVectorValues(f.fieldName());
          if (v != null) {
            values.put(f, v);
            iterators.put(f, v.iterator());
          }
        }
      }
      int local = doc - ctx.docBase;
      if (ids == null || !ids.advanceExact(local)) {
        continue; // every listing has an id; a document without one is not a listing
      }
      String id = ids.lookupOrd(ids.ordValue()).utf8ToString();
      // Immutable maps built once (VectorHit keeps them as they are).
      List<Map.Entry<VectorField, float[]>> vectors = new ArrayList<>(iterators.size());
      for (Map.Entry<VectorField, KnnVectorValues.DocIndexIterator> e : iterators.entrySet()) {
        KnnVectorValues.DocIndexIterator it = e.getValue();
        int at = it.docID() >= local ? it.docID() : it.advance(local);
        if (at == local) {
          vectors.add(Map.entry(e.getKey(), values.get(e.getKey()).vectorValue(it.index()).clone()));
        }
      }
      out[i] = new VectorHit(id, docs[i].score, Map.ofEntries(vectors.toArray(ENTRY_VECTORS)),
          Map.ofEntries(hitAttributes(attributes, local).toArray(ENTRY_STRINGS)));
    }
    List<VectorHit> hits = new ArrayList<>(docs.length);
    for (VectorHit h : out) {
      if (h != null) {
        hits.add(h);
      }
    }
    return hits;
  }

  /** Positions of {@code docs} sorted by document id, so per-leaf iterators only move forward. */
  private static Integer[] inDocOrder(ScoreDoc[] docs) {
    Integer[] order = new Integer[docs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Integer.compare(docs[a].doc, docs[b].doc));
    return order;
  }

  /** The hit attributes a document holds (first value of each), read from its leaf's doc values. */
  private static List<Map.Entry<String, String>> hitAttributes(SortedSetDocValues[] attributes, int local)
      throws IOException {
    List<Map.Entry<String, String>> keywords = new ArrayList<>(attributes.length);
    for (int a = 0; a < attributes.length; a++) {
      if (attributes[a] != null && attributes[a].advanceExact(local)) {
        keywords.add(Map.entry(HIT_ATTRIBUTES.get(a), attributes[a].lookupOrd(attributes[a].nextOrd()).utf8ToString()));
      }
    }
    return keywords;
  }

  private static Optional<IndexedListing> load(IndexSearcher s, String id) throws IOException {
    TopDocs top = s.search(new TermQuery(CatalogSchema.idTerm(id)), 1);
    if (top.scoreDocs.length == 0) {
      return Optional.empty();
    }
    int doc = top.scoreDocs[0].doc;
    Document d = s.storedFields().document(doc, CatalogSchema.FULL_FIELDS);
    List<LeafReaderContext> leaves = s.getIndexReader().leaves();
    LeafReaderContext ctx = leaves.get(ReaderUtil.subIndex(doc, leaves));
    int local = doc - ctx.docBase;
    return Optional.of(new IndexedListing(
        ListingJson.read(d.get(CatalogSchema.LISTING)),
        d.get(CatalogSchema.CONTENT_HASH),
        vector(ctx.reader(), VectorField.IMAGE, local),
        vector(ctx.reader(), VectorField.TEXT, local),
        vector(ctx.reader(), VectorField.JOINT, local)));
  }

  /** The raw float vector of a document, or null when it has none. */
  private static float[] vector(LeafReader leaf, VectorField field, int doc) throws IOException {
    FieldInfo info = leaf.getFieldInfos().fieldInfo(field.fieldName());
    if (info == null || !info.hasVectorValues()) {
      return null;
    }
    FloatVectorValues values = leaf.getFloatVectorValues(field.fieldName());
    if (values == null) {
      return null;
    }
    KnnVectorValues.DocIndexIterator it = values.iterator();
    if (it.advance(doc) != doc) {
      return null;
    }
    return values.vectorValue(it.index()).clone();
  }

  private static List<SearchHit> toHits(IndexSearcher s, ScoreDoc[] docs) throws IOException {
    StoredFields stored = s.storedFields();
    List<SearchHit> hits = new ArrayList<>(docs.length);
    for (ScoreDoc sd : docs) {
      Document d = stored.document(sd.doc, CatalogSchema.HIT_FIELDS);
      hits.add(new SearchHit(
          d.get(CatalogSchema.ID),
          d.get(CatalogSchema.HIT_TITLE),
          d.getField(CatalogSchema.HIT_PRICE).numericValue().doubleValue(),
          sd.score,
          d.get(CatalogSchema.HIT_IMAGE)));
    }
    return hits;
  }

  private void checkQueryVector(VectorField field, float[] v) {
    CatalogSearch.checkQueryVector(field, v, settings);
  }

  private static void checkK(int k) {
    CatalogSearch.checkK(k);
  }

  private static void requireId(String id) {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("listing id must be non-blank");
    }
  }

  /** Fails fast when an existing index was built with other vector dimensions. */
  private static void checkExistingDims(Directory dir, IndexSettings settings) throws IOException {
    if (!DirectoryReader.indexExists(dir)) {
      return;
    }
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      for (LeafReaderContext ctx : reader.leaves()) {
        for (VectorField f : VectorField.values()) {
          FieldInfo info = ctx.reader().getFieldInfos().fieldInfo(f.fieldName());
          if (info != null && info.hasVectorValues() && info.getVectorDimension() != settings.dims(f)) {
            throw new FacetException("the index at " + dir + " has " + f.fieldName() + " vectors of "
                + info.getVectorDimension() + " dimensions, the settings say " + settings.dims(f)
                + ": open it with the encoders it was built with (e.g. the same --image-model), or build a new"
                + " index in another work directory");
          }
        }
      }
    }
  }

  private void shutdownExec() {
    if (mergeExec != null) {
      mergeExec.shutdownNow();
    }
  }
}
