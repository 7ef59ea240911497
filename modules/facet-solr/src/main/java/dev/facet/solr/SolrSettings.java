package dev.facet.solr;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Where the SolrCloud backend lives.
 *
 * @param solrUrls base URLs of one or more Solr nodes ({@code http://host:8983/solr}); the client reads
 *     the cluster state from them (no ZooKeeper client needed)
 * @param collection collection name
 * @param overFetch each shard's HNSW search asks for {@code k * overFetch} candidates (as the embedded
 *     index does); the coordinator keeps the global best {@code k}
 */
public record SolrSettings(List<String> solrUrls, String collection, int overFetch) {
  /** System property that switches the search backend: {@code embedded} (default) or {@code solr}. */
  public static final String BACKEND_PROPERTY = "facet.search.backend";

  public SolrSettings {
    solrUrls = List.copyOf(Objects.requireNonNull(solrUrls, "solrUrls"));
    if (solrUrls.isEmpty() || collection == null || collection.isBlank() || overFetch < 1) {
      throw new IllegalArgumentException("need at least one Solr URL, a collection name and overFetch >= 1");
    }
  }

  /**
   * Reads {@code facet.solr.urls} (comma-separated), {@code facet.solr.collection} (default {@code facet})
   * and {@code facet.solr.overFetch} (default 5) from system properties; null when
   * {@code facet.search.backend} is not {@code solr}.
   */
  public static SolrSettings fromSystemProperties() {
    if (!"solr".equalsIgnoreCase(System.getProperty(BACKEND_PROPERTY, "embedded"))) {
      return null;
    }
    String urls = System.getProperty("facet.solr.urls");
    if (urls == null || urls.isBlank()) {
      throw new IllegalArgumentException(BACKEND_PROPERTY + "=solr needs facet.solr.urls");
    }
    return new SolrSettings(Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList(),
        System.getProperty("facet.solr.collection", "facet"), Integer.getInteger("facet.solr.overFetch", 5));
  }
}
