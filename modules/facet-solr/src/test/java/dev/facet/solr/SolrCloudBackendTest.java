package dev.facet.solr;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.SearchHit;
import dev.facet.index.IndexSettings;
import dev.facet.index.IndexedListing;
import dev.facet.index.IndexedListingStream;
import dev.facet.index.VectorField;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * SolrCloud (2 real Solr 9.10.1 nodes in a child JVM) against exact search over the same listings and
 * vectors ({@link ExactSearch}; facet-solr does not depend on the embedded Lucene index). The vectors are synthetic clustered unit vectors (the comparison is
 * between backends, not encoders); listings have real attribute distributions for the filters.
 * Size: {@code -Dfacet.solr.test.listings} (default 2,000; the figures in the report used 10,000).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SolrCloudBackendTest {
  static final int N = Integer.getInteger("facet.solr.test.listings", 2000);
  static final int IMAGE_DIMS = 128;
  static final int TEXT_DIMS = 64;
  static final int JOINT_DIMS = 32;
  static final String COLLECTION = "facet";
  static final String[] CATEGORIES = {"ring", "necklace", "earrings", "bracelet", "pendant"};
  static final String[] MATERIALS = {"18k_gold", "white_gold", "silver", "platinum", "rose_gold"};
  static final String[] GEMSTONES = {"diamond", "pearl", "jade", "ruby", "none"};
  static final String[] MERCHANTS = {"m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08"};

  static Path tmp;
  static ExactSearch exact;
  static List<IndexedListing> items;
  static SolrCloudProcess cloud;
  static CloudHttp2SolrClient client;
  static SolrCatalogSearch solr;

  @BeforeAll
  static void setUp() throws Exception {
    tmp = Files.createTempDirectory("facet-solr-test");
    IndexSettings settings = IndexSettings.defaults(IMAGE_DIMS, TEXT_DIMS, JOINT_DIMS);
    // Start the cluster first: it boots in its own JVM while this one generates the listings.
    CompletableFuture<SolrCloudProcess> starting = CompletableFuture.supplyAsync(() -> {
      try {
        return SolrCloudProcess.start(2, tmp.resolve("solr"));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    items = generate(N, 42L);
    exact = new ExactSearch(items);
    cloud = starting.get();
    client = SolrCollections.client(cloud.urls);
    // 2 shards x 2 replicas: each node holds one replica of each shard.
    SolrCollections.create(client, COLLECTION, settings, 2, 2);
    solr = new SolrCatalogSearch(client, COLLECTION, settings.overFetch(), settings);
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (client != null) {
      client.close();
    }
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  @Order(1)
  void configsetIsGeneratedFromFacetsSchema() {
    String schema = SolrConfigset.schemaXml(IndexSettings.defaults(IMAGE_DIMS, TEXT_DIMS, JOINT_DIMS));
    assertThat(schema).contains("name=\"knn_image\" class=\"solr.DenseVectorField\" vectorDimension=\"128\" similarityFunction=\"dot_product\"")
        .contains("name=\"knn_fused\" class=\"solr.DenseVectorField\" vectorDimension=\"192\"")
        .contains("similarityFunction=\"maximum_inner_product\"")
        .contains("solr.CJKBigramFilterFactory")
        .contains("<field name=\"price\" type=\"pdouble\"");
    assertThat(SolrCatalogSearch.filterQueries(Filter.builder().category("ring").minPrice(100.0).inStockOnly(true).build(), Set.of("x")))
        .containsExactlyInAnyOrder("price:[100.0 TO *]", "category:(\"ring\")", "in_stock:true", "*:* -id:(\"x\")");
  }

  @Test
  @Order(2)
  void loadedCollectionAgreesWithExactSearch() throws Exception {
    // Through the stream `facet solr-load` feeds the loader's JVM with.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      for (IndexedListing item : items) {
        IndexedListingStream.write(out, item);
      }
      IndexedListingStream.end(out);
    }
    long loaded = new SolrLoader(client, COLLECTION, 500)
        .loadFrom(new java.io.DataInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray())), n -> {});
    assertThat(loaded).isEqualTo(N);
    IndexedListing some = items.get(17);
    assertThat(solr.get(some.id())).hasValue(some);
    assertThat(solr.get("no-such-id")).isEmpty();

    Random random = new Random(7);
    double similarOverlap = 0;
    double filteredOverlap = 0;
    long[] exactNanos = new long[100];
    long[] solrNanos = new long[100];
    // Warm both up.
    for (int i = 0; i < 20; i++) {
      IndexedListing q = items.get(random.nextInt(N));
      exact.knn(VectorField.FUSED, q.fused(), 10, Filter.NONE, Set.of());
      solr.knn(VectorField.FUSED, q.fused(), 10, Filter.NONE);
    }
    for (int i = 0; i < 100; i++) {
      // Similar items: the listing's own fused vector, itself excluded (as SimilarItems asks).
      IndexedListing q = items.get(random.nextInt(N));
      List<SearchHit> a = exact.knn(VectorField.FUSED, q.fused(), 10, Filter.NONE, Set.of(q.id()));
      List<SearchHit> b = solr.knn(VectorField.FUSED, q.fused(), 10, Filter.NONE, Set.of(q.id()));
      assertThat(b).hasSize(10).extracting(SearchHit::id).doesNotContain(q.id());
      similarOverlap += overlap(a, b);

      // Filtered: image similarity within a category, a price band and sometimes stock/material.
      IndexedListing f = items.get(random.nextInt(N));
      Filter.Builder fb = Filter.builder().category(f.listing().category()).minPrice(200.0).maxPrice(20_000.0);
      if (i % 3 == 0) {
        fb.inStockOnly(true);
      }
      if (i % 4 == 0) {
        fb.material(new java.util.TreeSet<>(List.of(f.listing().material(), MATERIALS[(i / 4) % MATERIALS.length])).toArray(String[]::new));
      }
      Filter filter = fb.build();
      long t0 = System.nanoTime();
      List<SearchHit> fa = exact.knn(VectorField.IMAGE, f.image(), 10, filter, Set.of(f.id()));
      long t1 = System.nanoTime();
      List<SearchHit> fbHits = solr.knn(VectorField.IMAGE, f.image(), 10, filter, Set.of(f.id()));
      long t2 = System.nanoTime();
      exactNanos[i] = t1 - t0;
      solrNanos[i] = t2 - t1;
      assertThat(fbHits).hasSize(fa.size());
      for (SearchHit h : fbHits) {
        assertThat(filter.matches(listing(h.id()))).as(h.id() + " matches " + filter).isTrue();
      }
      filteredOverlap += overlap(fa, fbHits);
    }
    similarOverlap /= 100;
    filteredOverlap /= 100;
    String report = String.format(Locale.ROOT,
        "SolrCloud 9.10.1 (2 nodes, 2 shards x 2 replicas) vs exact search, %,d listings, 100 queries, k=10:%n"
            + "  top-10 recall: similar-item %.3f, filtered %.3f%n"
            + "  filtered k-NN latency ms  exact (brute force, in-process) p50 %.2f p99 %.2f | SolrCloud p50 %.2f p99 %.2f%n",
        N, similarOverlap, filteredOverlap, pct(exactNanos, 50), pct(exactNanos, 99), pct(solrNanos, 50), pct(solrNanos, 99));
    System.out.print(report);
    Files.writeString(Path.of("target", "solr-vs-exact.txt"), report, StandardCharsets.UTF_8);
    assertThat(similarOverlap).isGreaterThanOrEqualTo(0.9);
    assertThat(filteredOverlap).isGreaterThanOrEqualTo(0.9);

    // Hybrid and BM25 answer through the same interface.
    IndexedListing h = items.get(3);
    assertThat(solr.bm25(h.listing().title(), 10, Filter.NONE)).extracting(SearchHit::id).contains(h.id());
    assertThat(solr.hybrid(h.listing().title(), h.text(), 10, Filter.NONE)).hasSize(10).extracting(SearchHit::id).contains(h.id());
  }

  @Test
  @Order(3)
  void stoppingOneNodeMidLoadLeavesEveryQueryAnswered() throws Exception {
    // Re-load (upserts) with fresh content hashes and take node 1 away half-way through.
    List<IndexedListing> again = items.stream()
        .map(i -> new IndexedListing(i.listing(), i.contentHash() + "-2", i.image(), i.text(), i.joint())).toList();
    CompletableFuture<Void> stop = new CompletableFuture<>();
    long loaded = new SolrLoader(client, COLLECTION, 200).load(again, n -> {
      if (n >= N / 2 && !stop.isDone()) {
        stop.complete(null);
        CompletableFuture.runAsync(() -> cloud.stopNode(1));
      }
    });
    assertThat(loaded).isEqualTo(N);
    Random random = new Random(11);
    int answered = 0;
    double overlap = 0;
    for (int i = 0; i < 100; i++) {
      IndexedListing q = items.get(random.nextInt(N));
      Filter filter = i % 2 == 0 ? Filter.NONE : Filter.builder().category(q.listing().category()).build();
      List<SearchHit> b = retryOnce(() -> solr.knn(VectorField.FUSED, q.fused(), 10, filter, Set.of(q.id())));
      List<SearchHit> a = exact.knn(VectorField.FUSED, q.fused(), 10, filter, Set.of(q.id()));
      assertThat(b).hasSize(a.size());
      answered++;
      overlap += overlap(a, b);
    }
    assertThat(answered).isEqualTo(100);
    assertThat(overlap / 100).isGreaterThanOrEqualTo(0.9);
    // Every document made it, with the second load's hash, through the surviving replicas.
    IndexedListing last = again.get(N - 1);
    assertThat(solr.get(last.id()).map(IndexedListing::contentHash)).hasValue(last.contentHash());
  }

  /** Queries must be answered; a request in flight at the exact moment a node leaves may be retried once. */
  static <T> T retryOnce(Supplier<T> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return call.get();
    }
  }

  static Listing listing(String id) {
    return items.get(Integer.parseInt(id.substring(2)) - 1).listing();
  }

  static double overlap(List<SearchHit> a, List<SearchHit> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> ids = new HashSet<>();
    a.forEach(h -> ids.add(h.id()));
    long common = b.stream().filter(h -> ids.contains(h.id())).count();
    return (double) common / Math.max(a.size(), b.size());
  }

  static double pct(long[] nanos, int p) {
    long[] s = nanos.clone();
    Arrays.sort(s);
    int idx = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, idx)] / 1e6;
  }

  /** Listings with realistic attributes and clustered unit vectors (40 "designs", noise around them). */
  static List<IndexedListing> generate(int n, long seed) {
    Random r = new Random(seed);
    int clusters = 40;
    float[][] imageCentres = new float[clusters][];
    float[][] textCentres = new float[clusters][];
    for (int c = 0; c < clusters; c++) {
      imageCentres[c] = unit(gaussian(r, IMAGE_DIMS, 1f, null));
      textCentres[c] = unit(gaussian(r, TEXT_DIMS, 1f, null));
    }
    List<IndexedListing> out = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      int c = r.nextInt(clusters);
      String category = CATEGORIES[c % CATEGORIES.length];
      String material = MATERIALS[r.nextInt(MATERIALS.length)];
      String gem = GEMSTONES[r.nextInt(GEMSTONES.length)];
      String id = String.format(Locale.ROOT, "L-%05d", i);
      double price = Math.round(100 + r.nextDouble() * 30_000);
      Listing l = new Listing(id, material + " " + gem + " " + category + " 精选款" + c + " 编号" + i,
          material + " " + category + " with " + gem, "第" + c + "系列 经典设计", category, material, gem, "gold", "classic",
          price, "CNY", MERCHANTS[r.nextInt(MERCHANTS.length)], List.of("images/" + id + ".jpg"), r.nextInt(5) != 0,
          Map.of("series", c));
      float[] image = unit(gaussian(r, IMAGE_DIMS, 0.35f, imageCentres[c]));
      float[] text = unit(gaussian(r, TEXT_DIMS, 0.35f, textCentres[c]));
      float[] joint = gaussian(r, JOINT_DIMS, 0.5f, null);
      out.add(new IndexedListing(l, "h" + i, image, text, joint));
    }
    return out;
  }

  static float[] gaussian(Random r, int dims, float sigma, float[] centre) {
    float[] v = new float[dims];
    for (int d = 0; d < dims; d++) {
      v[d] = (centre == null ? 0 : centre[d]) + (float) r.nextGaussian() * sigma / (float) Math.sqrt(dims);
    }
    return v;
  }

  static float[] unit(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float s = (float) (1 / Math.sqrt(n));
    for (int i = 0; i < v.length; i++) {
      v[i] *= s;
    }
    return v;
  }
}
