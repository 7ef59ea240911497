package dev.facet.solr;

import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import dev.facet.index.CatalogSearch;
import dev.facet.index.IndexSettings;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.util.ClientUtils;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.ModifiableSolrParams;

/**
 * {@link CatalogSearch} over a SolrCloud collection (configset from {@link SolrConfigset}, loaded by
 * {@link SolrLoader}), through SolrJ only.
 *
 * <p>KNN runs as {@code {!knn f=<field> topK=k*overFetch}} with the {@link Filter} and the exclusions as
 * {@code fq}s, which Solr 9 applies as the HNSW pre-filter when knn is the main query. Every shard returns
 * its own best {@code topK} and the coordinator merges them, so {@code rows=k} yields exactly
 * {@code min(k, matching listings)} hits across shards. Scores are Lucene's vector scores, as in the
 * embedded index ({@code (1 + cos) / 2} for the unit fields). Hybrid is the same reciprocal-rank fusion
 * (constant 60, depth {@code max(k, 50)}) the embedded index computes, done client-side over the two
 * Solr result lists. Thread-safe (the SolrJ client is).
 */
public final class SolrCatalogSearch implements CatalogSearch, AutoCloseable {
  static final int RRF_K = 60;
  private static final String FL = "id,title,price,primary_image,score";

  private final SolrClient client;
  private final String collection;
  private final int overFetch;
  private final boolean ownsClient;
  /** The vector sizes of the collection, for the same query-vector checks as the embedded index. */
  private final IndexSettings dims;

  public SolrCatalogSearch(SolrClient client, String collection, int overFetch, IndexSettings dims) {
    this(client, collection, overFetch, dims, false);
  }

  SolrCatalogSearch(SolrClient client, String collection, int overFetch, IndexSettings dims, boolean ownsClient) {
    this.client = Objects.requireNonNull(client, "client");
    this.collection = Objects.requireNonNull(collection, "collection");
    this.dims = Objects.requireNonNull(dims, "dims");
    if (overFetch < 1) {
      throw new IllegalArgumentException("overFetch must be >= 1");
    }
    this.overFetch = overFetch;
    this.ownsClient = ownsClient;
  }

  /** A backend with its own cloud client on {@code settings.solrUrls()}; closing it closes the client. */
  public static SolrCatalogSearch connect(SolrSettings settings, IndexSettings dims) {
    return new SolrCatalogSearch(SolrCollections.client(settings.solrUrls()), settings.collection(), settings.overFetch(),
        dims, true);
  }

  public SolrClient client() {
    return client;
  }

  @Override
  public List<SearchHit> knn(VectorField field, float[] query, int k, Filter filter, Set<String> excludeIds) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(query, "query");
    CatalogSearch.checkK(k);
    CatalogSearch.checkQueryVector(field, query, dims);
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("q", knnQuery(field, query, Math.min(MAX_K * overFetch, k * overFetch)));
    addFilters(p, filter, excludeIds);
    p.set("rows", k);
    p.set("fl", FL);
    return hits(query(p));
  }

  @Override
  public List<SearchHit> bm25(String text, int k, Filter filter, Set<String> excludeIds) {
    Objects.requireNonNull(text, "text");
    CatalogSearch.checkK(k);
    String escaped = ClientUtils.escapeQueryChars(text.trim());
    if (escaped.isBlank()) {
      return List.of();
    }
    ModifiableSolrParams p = new ModifiableSolrParams();
    p.set("defType", "edismax");
    p.set("qf", "title^2 title_en description^0.5");
    p.set("q.op", "OR");
    p.set("q", escaped);
    addFilters(p, filter, excludeIds);
    p.set("rows", k);
    p.set("fl", FL);
    return hits(query(p));
  }

  @Override
  public List<SearchHit> hybrid(String text, float[] textVector, int k, Filter filter, Set<String> excludeIds) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(textVector, "textVector");
    CatalogSearch.checkK(k);
    CatalogSearch.checkQueryVector(VectorField.TEXT, textVector, dims);
    int depth = Math.min(MAX_K, Math.max(k, 50));
    Map<String, SearchHit> byId = new HashMap<>();
    Map<String, Float> fused = new LinkedHashMap<>();
    List<List<SearchHit>> lists = List.of(bm25(text, depth, filter, excludeIds),
        knn(VectorField.TEXT, textVector, depth, filter, excludeIds));
    for (List<SearchHit> list : lists) {
      for (int rank = 0; rank < list.size(); rank++) {
        SearchHit h = list.get(rank);
        byId.putIfAbsent(h.id(), h);
        fused.merge(h.id(), 1f / (RRF_K + rank + 1), Float::sum);
      }
    }
    return fused.entrySet().stream()
        .sorted((a, b) -> {
          int c = Float.compare(b.getValue(), a.getValue());
          return c != 0 ? c : a.getKey().compareTo(b.getKey());
        })
        .limit(k)
        .map(e -> {
          SearchHit h = byId.get(e.getKey());
          return new SearchHit(h.id(), h.title(), h.price(), e.getValue(), h.imagePath());
        })
        .collect(Collectors.toList());
  }

  @Override
  public Optional<IndexedListing> get(String id) {
    try {
      SolrDocument d = client.getById(collection, id);
      return d == null ? Optional.empty() : Optional.of(SolrDocs.fromSolr(d));
    } catch (SolrServerException e) {
      throw new IllegalStateException("Solr get " + id + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One real-time get for all the ids. */
  @Override
  public Map<String, IndexedListing> getAll(Collection<String> ids) {
    Map<String, IndexedListing> byId = new HashMap<>();
    if (!ids.isEmpty()) {
      try {
        for (SolrDocument d : client.getById(collection, ids)) {
          IndexedListing doc = SolrDocs.fromSolr(d);
          byId.put(doc.id(), doc);
        }
      } catch (SolrServerException e) {
        throw new IllegalStateException("Solr get of " + ids.size() + " ids failed: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    Map<String, IndexedListing> out = new LinkedHashMap<>();
    for (String id : ids) {
      IndexedListing doc = byId.get(id);
      if (doc != null) {
        out.put(id, doc);
      }
    }
    return out;
  }

  /** The {@code {!knn}} main query. */
  static String knnQuery(VectorField field, float[] query, int topK) {
    StringBuilder sb = new StringBuilder(16 + query.length * 12);
    sb.append("{!knn f=").append(field.fieldName()).append(" topK=").append(topK).append("}[");
    for (int i = 0; i < query.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(query[i]);
    }
    return sb.append(']').toString();
  }

  /** The filter and the exclusions as {@code fq}s (Solr's counterpart of {@code CatalogSchema.filterQuery}). */
  static List<String> filterQueries(Filter filter, Set<String> excludeIds) {
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(excludeIds, "excludeIds");
    List<String> fq = new ArrayList<>();
    if (filter.minPrice() != null || filter.maxPrice() != null) {
      fq.add(String.format(Locale.ROOT, "price:[%s TO %s]", filter.minPrice() == null ? "*" : Double.toString(filter.minPrice()),
          filter.maxPrice() == null ? "*" : Double.toString(filter.maxPrice())));
    }
    addSet(fq, SolrConfigset.CATEGORY, filter.categories());
    addSet(fq, SolrConfigset.MATERIAL, filter.materials());
    addSet(fq, SolrConfigset.GEMSTONE, filter.gemstones());
    addSet(fq, SolrConfigset.MERCHANT, filter.merchants());
    if (filter.inStockOnly()) {
      fq.add(SolrConfigset.IN_STOCK + ":true");
    }
    if (!excludeIds.isEmpty()) {
      fq.add("*:* -id:(" + or(excludeIds) + ")");
    }
    return fq;
  }

  private static void addSet(List<String> fq, String field, Collection<String> values) {
    if (!values.isEmpty()) {
      fq.add(field + ":(" + or(values) + ")");
    }
  }

  private static String or(Collection<String> values) {
    return values.stream().sorted().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
        .collect(Collectors.joining(" OR "));
  }

  private static void addFilters(ModifiableSolrParams p, Filter filter, Set<String> excludeIds) {
    for (String fq : filterQueries(filter, excludeIds)) {
      p.add("fq", fq);
    }
  }

  private SolrDocumentList query(ModifiableSolrParams p) {
    try {
      return client.query(collection, p).getResults();
    } catch (SolrServerException e) {
      throw new IllegalStateException("Solr query on " + collection + " failed: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<SearchHit> hits(SolrDocumentList docs) {
    List<SearchHit> out = new ArrayList<>(docs.size());
    for (SolrDocument d : docs) {
      out.add(new SearchHit((String) d.getFirstValue("id"), (String) d.getFirstValue("title"),
          ((Number) d.getFirstValue("price")).doubleValue(), ((Number) d.getFirstValue("score")).floatValue(),
          (String) d.getFirstValue("primary_image")));
    }
    return out;
  }

  @Override
  public void close() {
    if (ownsClient) {
      try {
        client.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
