package dev.facet.index;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;

/**
 * KNN pre-filters as per-segment bitsets. A filter's matches in a segment never change (documents
 * are immutable; Lucene applies deletions on its own), so its bitset is computed once per segment
 * and kept; each search copies it and clears the excluded ids. Lucene's KNN search takes a
 * {@link BitSetIterator} filter as its accepted-docs bitset directly (or, in a segment with
 * deletions, combines it with the live docs word by word) instead of walking the filter's matches
 * document by document to build one, which costs a scan of most of the catalog per query.
 * Thread-safe.
 */
final class FilterBitSets {
  /** Bitsets kept at most; beyond that the cache starts over (filters repeat far less than that). */
  private static final int MAX_ENTRIES = 256;
  /** Memory kept at most for bitsets (a 1M-document segment takes 125 KB per filter). */
  private static final long MAX_BYTES = 32L << 20;

  private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

  private record Key(IndexReader.CacheKey segment, Query filter) {}

  private record Entry(FixedBitSet bits, int cardinality) {}

  /**
   * A filter query accepting the documents that match {@code filter} (null = all) and whose id is not
   * in {@code excludeIds}; null when neither restricts anything.
   */
  Query query(Query filter, Collection<String> excludeIds) {
    if (filter == null && excludeIds.isEmpty()) {
      return null;
    }
    return new BitSetFilterQuery(this, filter, List.copyOf(excludeIds));
  }

  /** Number of cached bitsets (tests). */
  int size() {
    return cache.size();
  }

  private Entry bits(LeafReaderContext ctx, Query filter, Weight filterWeight) throws IOException {
    IndexReader.CacheHelper helper = ctx.reader().getCoreCacheHelper();
    if (helper == null) {
      return compute(ctx, filterWeight);
    }
    Key key = new Key(helper.getKey(), filter);
    Entry e = cache.get(key);
    if (e == null) {
      e = compute(ctx, filterWeight);
      long bytes = e.bits().ramBytesUsed();
      for (Entry other : cache.values()) {
        bytes += other.bits().ramBytesUsed();
      }
      if (cache.size() >= MAX_ENTRIES || bytes > MAX_BYTES) {
        cache.clear();
      }
      if (cache.putIfAbsent(key, e) == null) {
        helper.addClosedListener(closed -> cache.keySet().removeIf(k -> k.segment() == closed));
      }
    }
    return e;
  }

  private static Entry compute(LeafReaderContext ctx, Weight filterWeight) throws IOException {
    int maxDoc = ctx.reader().maxDoc();
    FixedBitSet bits = new FixedBitSet(maxDoc);
    if (filterWeight == null) {
      bits.set(0, maxDoc);
    } else {
      Scorer scorer = filterWeight.scorer(ctx);
      if (scorer != null) {
        bits.or(scorer.iterator());
      }
    }
    return new Entry(bits, bits.cardinality());
  }

  /** The per-search query: cached filter bitset minus the excluded ids. */
  private static final class BitSetFilterQuery extends Query {
    private final FilterBitSets owner;
    private final Query filter;
    private final List<String> excludeIds;

    BitSetFilterQuery(FilterBitSets owner, Query filter, List<String> excludeIds) {
      this.owner = owner;
      this.filter = filter;
      this.excludeIds = excludeIds;
    }

    @Override
    public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) throws IOException {
      Weight filterWeight = filter == null ? null
          : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
      return new ConstantScoreWeight(this, boost) {
        @Override
        public ScorerSupplier scorerSupplier(LeafReaderContext ctx) throws IOException {
          Entry base = owner.bits(ctx, filter, filterWeight);
          FixedBitSet bits = base.bits();
          int cardinality = base.cardinality();
          if (!excludeIds.isEmpty()) {
            bits = bits.clone();
            cardinality -= clearExcluded(ctx, bits);
          }
          if (cardinality == 0) {
            return null;
          }
          return new Weight.DefaultScorerSupplier(
              new ConstantScoreScorer(score(), scoreMode, new BitSetIterator(bits, cardinality)));
        }

        @Override
        public boolean isCacheable(LeafReaderContext ctx) {
          return false; // per-search exclusions; the filter part is cached above
        }
      };
    }

    /** Clears the excluded ids' documents; returns how many set bits were cleared. */
    private int clearExcluded(LeafReaderContext ctx, FixedBitSet bits) throws IOException {
      Terms terms = ctx.reader().terms(CatalogSchema.ID);
      if (terms == null) {
        return 0;
      }
      TermsEnum te = terms.iterator();
      PostingsEnum postings = null;
      int cleared = 0;
      for (String id : excludeIds) {
        if (te.seekExact(new BytesRef(id))) {
          postings = te.postings(postings, PostingsEnum.NONE);
          for (int d = postings.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = postings.nextDoc()) {
            if (bits.getAndClear(d)) {
              cleared++;
            }
          }
        }
      }
      return cleared;
    }

    @Override
    public String toString(String field) {
      return "BitSetFilter(" + (filter == null ? "*" : filter.toString(field)) + " -" + excludeIds + ")";
    }

    @Override
    public void visit(QueryVisitor visitor) {
      visitor.visitLeaf(this);
    }

    @Override
    public boolean equals(Object o) {
      return sameClassAs(o) && Objects.equals(filter, ((BitSetFilterQuery) o).filter)
          && excludeIds.equals(((BitSetFilterQuery) o).excludeIds) && owner == ((BitSetFilterQuery) o).owner;
    }

    @Override
    public int hashCode() {
      return classHash() ^ Objects.hash(filter, excludeIds);
    }
  }
}
