package dev.facet.index;

import dev.facet.core.VectorMath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.FacetException;
import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.SearchHit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogIndexTest {
  @TempDir Path dir;

  private final Random rnd = new Random(20260301L);

  @Test
  void roundTripsListingJsonAndVectorsAcrossReopen() {
    IndexSettings s = TestListings.settings();
    Listing l = new Listing("R-00012", "18K金钻石戒指 简约款", "18K gold diamond ring", "经典 \"六爪\" 镶嵌",
        "ring", "18k_gold", "diamond", "yellow", "minimal", 3299.0, "CNY", "m-03",
        List.of("images/R-00012.jpg", "images/R-00012-b.jpg"), false,
        Map.of("size", "12", "tags", List.of("gift", "wedding"), "weight_g", 2.5));
    IndexedListing in = new IndexedListing(l, "abc123", TestListings.unitVector(rnd, 8),
        TestListings.unitVector(rnd, 8), new float[] {0.5f, -2f, 3f, 0f});
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      index.upsert(in);
      index.refresh();
      assertThat(index.get("R-00012")).contains(in);
      index.commit(Map.of());
    }
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      IndexedListing out = index.get("R-00012").orElseThrow();
      assertThat(out).isEqualTo(in);
      assertThat(out.listing().attributes()).isEqualTo(l.attributes());
      assertThat(index.get("nope")).isEmpty();
    }
  }

  @Test
  void listingWithoutOptionalFieldsOrVectorsRoundTrips() {
    Listing l = new Listing("X-1", "珍珠", null, null, "pendant", null, null, null, null, 0.0, null, null,
        List.of("a.jpg"), true, null);
    IndexedListing in = new IndexedListing(l, "h", null, null, null);
    try (CatalogIndex index = CatalogIndex.open(dir, TestListings.settings())) {
      index.upsert(in);
      index.refresh();
      assertThat(index.get("X-1")).contains(in);
      assertThat(index.knn(VectorField.IMAGE, TestListings.unitVector(rnd, 8), 5, Filter.NONE)).isEmpty();
      assertThat(index.bm25("珍珠", 5, Filter.NONE)).extracting(SearchHit::id).containsExactly("X-1");
    }
  }

  @Test
  void upsertReplacesAndContentHashIsReadable() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      Listing v1 = TestListings.listing("R-1", "银手镯", "silver bangle", "silver", "none", 100);
      Listing v2 = TestListings.listing("R-1", "珍珠项链", "pearl necklace", "silver", "pearl", 200);
      index.upsert(new IndexedListing(v1, "hash-1", TestListings.unitVector(rnd, 8), null, null));
      index.upsert(new IndexedListing(v2, "hash-2", TestListings.unitVector(rnd, 8), null, null));
      index.refresh();
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.contentHash("R-1")).contains("hash-2");
      assertThat(index.contentHash("R-2")).isEmpty();
      assertThat(index.get("R-1").orElseThrow().listing()).isEqualTo(v2);
      assertThat(index.bm25("手镯", 10, Filter.NONE)).isEmpty();
      assertThat(index.bm25("项链", 10, Filter.NONE)).extracting(SearchHit::id).containsExactly("R-1");
      List<SearchHit> hits = index.knn(VectorField.IMAGE, TestListings.unitVector(rnd, 8), 10, Filter.NONE);
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).price()).isEqualTo(200.0);
      assertThat(hits.get(0).title()).isEqualTo("珍珠项链");
      assertThat(hits.get(0).imagePath()).isEqualTo("images/R-1.jpg");
    }
  }

  @Test
  void deleteRemovesFromSearchAndReportsExistence() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      for (int i = 0; i < 5; i++) {
        index.upsert(TestListings.indexed(rnd, TestListings.randomListing(rnd, i), s));
      }
      assertThat(index.delete("R-2")).isTrue(); // not yet refreshed: still found
      assertThat(index.delete("R-2")).isFalse();
      assertThat(index.delete("R-99")).isFalse();
      index.refresh();
      assertThat(index.size()).isEqualTo(4);
      assertThat(index.ids()).containsExactlyInAnyOrder("R-0", "R-1", "R-3", "R-4");
      assertThat(index.get("R-2")).isEmpty();
      assertThat(index.knn(VectorField.FUSED, fused(rnd, s), 10, Filter.NONE))
          .extracting(SearchHit::id).doesNotContain("R-2").hasSize(4);
    }
  }

  @Test
  void everyHitSatisfiesTheFilterOnRandomData() {
    IndexSettings s = TestListings.settings();
    List<Listing> listings = new ArrayList<>();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      for (int i = 0; i < 600; i++) {
        Listing l = TestListings.randomListing(rnd, i);
        listings.add(l);
        index.upsert(TestListings.indexed(rnd, l, s));
      }
      index.refresh();
      int smallChecked = 0;
      for (int t = 0; t < 60; t++) {
        Filter f = randomFilter(rnd);
        Set<String> matching = listings.stream().filter(f::matches).map(Listing::id).collect(Collectors.toSet());
        Set<String> exclude = rnd.nextBoolean() || matching.isEmpty() ? Set.of() : Set.of(matching.iterator().next());
        for (VectorField field : List.of(VectorField.IMAGE, VectorField.TEXT, VectorField.FUSED)) {
          float[] q = field == VectorField.FUSED ? fused(rnd, s) : TestListings.unitVector(rnd, 8);
          List<SearchHit> hits = index.knn(field, q, 50, f, exclude);
          for (SearchHit h : hits) {
            assertThat(matching).as("filter %s", f).contains(h.id());
            assertThat(exclude).doesNotContain(h.id());
          }
          Set<String> expected = new HashSet<>(matching);
          expected.removeAll(exclude);
          if (expected.size() <= 50) {
            assertThat(hits).extracting(SearchHit::id).as("filter %s", f).containsExactlyInAnyOrderElementsOf(expected);
            smallChecked++;
          } else {
            assertThat(hits).hasSize(50);
          }
        }
        for (SearchHit h : index.bm25("商品 item", 1000, f, exclude)) {
          assertThat(matching).contains(h.id());
          assertThat(exclude).doesNotContain(h.id());
        }
        Set<String> expected = new HashSet<>(matching);
        expected.removeAll(exclude);
        assertThat(index.bm25("商品", 1000, f, exclude)).extracting(SearchHit::id)
            .containsExactlyInAnyOrderElementsOf(expected);
      }
      assertThat(smallChecked).as("filters selective enough to check completeness").isGreaterThan(10);
    }
  }

  @Test
  void exactSmallFilterCaseMissesNothing() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      index.upsert(in(TestListings.listing("A", "玫瑰金戒指", null, "rose_gold", "diamond", 1000), s));
      index.upsert(in(TestListings.listing("B", "玫瑰金项链", null, "rose_gold", "pearl", 1500), s));
      index.upsert(in(TestListings.listing("C", "银戒指", null, "silver", "diamond", 1000), s));
      index.upsert(in(TestListings.listing("D", "玫瑰金耳钉", null, "rose_gold", null, 999.99), s));
      index.upsert(in(TestListings.listing("E", "玫瑰金手链", null, "rose_gold", "diamond", -0.0), s));
      index.refresh();
      Filter f = Filter.builder().material("rose_gold").minPrice(0.0).maxPrice(1000.0).build();
      assertThat(ids(index.knn(VectorField.IMAGE, TestListings.unitVector(rnd, 8), 10, f)))
          .containsExactlyInAnyOrder("A", "D", "E");
      Filter g = Filter.builder().gemstone("diamond").maxPrice(1000.0).build();
      assertThat(ids(index.knn(VectorField.IMAGE, TestListings.unitVector(rnd, 8), 3, g, Set.of("C"))))
          .containsExactlyInAnyOrder("A", "E");
      Filter none = Filter.builder().gemstone("jade").build();
      assertThat(index.knn(VectorField.IMAGE, TestListings.unitVector(rnd, 8), 3, none)).isEmpty();
    }
  }

  @Test
  void bm25FindsChineseAndEnglishWords() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      index.upsert(in(TestListings.listing("RG", "18K玫瑰金钻石戒指 简约款", "18K rose gold diamond ring", "rose_gold", "diamond", 3299), s));
      index.upsert(in(TestListings.listing("PL", "天然淡水珍珠项链", "Freshwater pearl necklace", "silver", "pearl", 899), s));
      index.upsert(in(TestListings.listing("YG", "足金黄金手镯", "24K yellow gold bangle", "24k_gold", "none", 5999), s));
      index.upsert(in(TestListings.listing("JD", "和田玉吊坠", "Hetian jade pendant", "silver", "jade", 1299), s));
      index.refresh();
      assertThat(index.bm25("玫瑰金", 10, Filter.NONE)).first().extracting(SearchHit::id).isEqualTo("RG");
      assertThat(ids(index.bm25("珍珠", 10, Filter.NONE))).containsExactly("PL");
      assertThat(ids(index.bm25("pearls", 10, Filter.NONE))).containsExactly("PL");
      assertThat(ids(index.bm25("NECKLACE", 10, Filter.NONE))).containsExactly("PL");
      assertThat(index.bm25("jade pendant", 10, Filter.NONE)).first().extracting(SearchHit::id).isEqualTo("JD");
      assertThat(index.bm25("rose gold", 10, Filter.NONE)).first().extracting(SearchHit::id).isEqualTo("RG");
      assertThat(ids(index.bm25("珍珠", 10, Filter.builder().material("rose_gold").build()))).isEmpty();
      assertThat(ids(index.bm25("玫瑰金", 10, Filter.NONE, Set.of("RG")))).doesNotContain("RG");
      assertThat(index.bm25("   ", 10, Filter.NONE)).isEmpty();
      assertThat(index.bm25("！？", 10, Filter.NONE)).isEmpty();
    }
  }

  @Test
  void hybridFusesRanksWithRrf() {
    IndexSettings s = TestListings.settings();
    float[] q = TestListings.unitVector(rnd, 8);
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      // BOTH: matches the text and is the nearest vector; TEXT_ONLY: text match, far vector;
      // VEC_ONLY: no text match, second nearest vector.
      index.upsert(withText(TestListings.listing("BOTH", "珍珠戒指", null, "silver", "pearl", 1), q, 0.0f, s));
      index.upsert(withText(TestListings.listing("TEXT_ONLY", "珍珠耳环", null, "silver", "pearl", 1), q, 1.9f, s));
      index.upsert(withText(TestListings.listing("VEC_ONLY", "黄金手链", null, "gold", "none", 1), q, 0.3f, s));
      index.refresh();
      List<SearchHit> hits = index.hybrid("珍珠", q, 3, Filter.NONE);
      assertThat(ids(hits)).hasSize(3);
      assertThat(hits.get(0).id()).isEqualTo("BOTH");
      assertThat(hits.get(0).score()).isCloseTo(2f / 61, org.assertj.core.data.Offset.offset(1e-6f));
      // TEXT_ONLY is rank 2 in BM25 and rank 3 in KNN; VEC_ONLY is rank 2 in KNN only.
      assertThat(hits.get(1).id()).isEqualTo("TEXT_ONLY");
      assertThat(hits.get(1).score()).isCloseTo(1f / 62 + 1f / 63, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(hits.get(2).id()).isEqualTo("VEC_ONLY");
      assertThat(hits.get(2).score()).isCloseTo(1f / 62, org.assertj.core.data.Offset.offset(1e-6f));
      assertThat(ids(index.hybrid("珍珠", q, 3, Filter.builder().material("gold").build()))).containsExactly("VEC_ONLY");
      assertThat(ids(index.hybrid("珍珠", q, 3, Filter.NONE, Set.of("BOTH")))).containsExactly("TEXT_ONLY", "VEC_ONLY");
    }
  }

  @Test
  void nearRealTimeVisibilityWithoutCommitOrRefresh() throws Exception {
    IndexSettings s = TestListings.settings().withRefreshMillis(200);
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      IndexedListing l = TestListings.indexed(rnd, TestListings.randomListing(rnd, 1), s);
      index.upsert(l);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
      boolean seen = false;
      while (!seen && System.nanoTime() < deadline) {
        seen = !index.knn(VectorField.IMAGE, l.image(), 1, Filter.NONE).isEmpty();
        Thread.sleep(10);
      }
      assertThat(seen).as("visible within 1 s").isTrue();
      assertThat(index.get("R-1")).contains(l);
      assertThat(index.lastCommitUserData()).isEmpty();
    }
  }

  @Test
  void commitUserDataSurvivesReopenAndPendingWritesAreKeptOnClose() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      assertThat(index.lastCommitUserData()).isEmpty();
      index.upsert(TestListings.indexed(rnd, TestListings.randomListing(rnd, 1), s));
      index.commit(Map.of("catalog.offset", "1", "run", "a"));
      assertThat(index.lastCommitUserData()).containsExactlyInAnyOrderEntriesOf(Map.of("catalog.offset", "1", "run", "a"));
      index.upsert(TestListings.indexed(rnd, TestListings.randomListing(rnd, 2), s));
    }
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      assertThat(index.lastCommitUserData()).isEqualTo(Map.of("catalog.offset", "1", "run", "a"));
      assertThat(index.ids()).containsExactlyInAnyOrder("R-1", "R-2");
      index.commit(Map.of("catalog.offset", "2"));
    }
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      assertThat(index.lastCommitUserData()).isEqualTo(Map.of("catalog.offset", "2"));
    }
  }

  @Test
  void jointVectorsAreAddedByReindexingWithAllOtherContent() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      Map<String, IndexedListing> before = new HashMap<>();
      for (int i = 0; i < 20; i++) {
        IndexedListing l = TestListings.indexed(rnd, TestListings.randomListing(rnd, i), s);
        before.put(l.id(), l);
        index.upsert(l);
      }
      // No refresh: the update must see the unrefreshed upserts.
      Map<String, float[]> joint = new HashMap<>();
      for (int i = 0; i < 20; i += 2) {
        joint.put("R-" + i, new float[] {i, 1, -1, 0.5f});
      }
      joint.put("R-missing", new float[] {1, 1, 1, 1});
      assertThat(index.updateJointVectors(joint)).isEqualTo(10);
      index.refresh();
      assertThat(index.size()).isEqualTo(20);
      for (IndexedListing l : before.values()) {
        IndexedListing expected = joint.containsKey(l.id()) ? l.withJoint(joint.get(l.id())) : l;
        assertThat(index.get(l.id())).contains(expected);
      }
      // Maximum inner product: the largest first component wins for a query along it.
      List<SearchHit> hits = index.knn(VectorField.JOINT, new float[] {1, 0, 0, 0}, 3, Filter.NONE);
      assertThat(ids(hits)).containsExactly("R-18", "R-16", "R-14");
      assertThatThrownBy(() -> index.updateJointVectors(Map.of("R-0", new float[3])))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void knnVectorsReturnsTheKnnHitsWithTheirVectorsAndAttributesAcrossSegments() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      Map<String, IndexedListing> all = new HashMap<>();
      for (int i = 0; i < 120; i++) {
        IndexedListing l = TestListings.indexed(rnd, TestListings.randomListing(rnd, i), s);
        // some listings lack an image or a joint vector
        l = new IndexedListing(l.listing(), l.contentHash(), i % 7 == 0 ? null : l.image(), l.text(),
            i % 11 == 0 ? null : new float[] {rnd.nextFloat(), rnd.nextFloat() - 0.5f, 1, i});
        all.put(l.id(), l);
        index.upsert(l);
        if (i % 40 == 39) {
          index.commit(Map.of()); // several segments
        }
      }
      index.refresh();
      assertThat(index.segmentCount()).isGreaterThan(1);
      for (int t = 0; t < 20; t++) {
        float[] q = {rnd.nextFloat(), rnd.nextFloat() - 0.5f, rnd.nextFloat(), 0.01f};
        Filter f = t % 2 == 0 ? Filter.NONE : randomFilter(rnd);
        Set<String> exclude = Set.of("R-" + t, "R-" + (t + 50));
        List<SearchHit> expected = index.knn(VectorField.JOINT, q, 30, f, exclude);
        List<CatalogSearch.VectorHit> hits = index.knnVectors(VectorField.JOINT, q, 30, f, exclude,
            java.util.EnumSet.of(VectorField.JOINT, VectorField.IMAGE));
        assertThat(hits).extracting(CatalogSearch.VectorHit::id).containsExactlyElementsOf(ids(expected));
        for (int i = 0; i < hits.size(); i++) {
          CatalogSearch.VectorHit h = hits.get(i);
          assertThat(h.score()).isEqualTo(expected.get(i).score());
          assertThat(h.vector(VectorField.JOINT)).isEqualTo(all.get(h.id()).joint());
          assertThat(h.vector(VectorField.IMAGE)).isEqualTo(all.get(h.id()).image());
          assertThat(h.vector(VectorField.TEXT)).as("not requested").isNull();
          assertThat(h.attributes()).isEqualTo(CatalogSearch.VectorHit.attributesOf(all.get(h.id()).listing()));
        }
      }
      List<String> some = List.of("R-3", "R-7", "R-nope", "R-11", "R-12");
      Map<String, float[]> joints = index.vectors(VectorField.JOINT, some);
      assertThat(joints).containsOnlyKeys("R-3", "R-7", "R-12"); // R-11 has no joint vector, R-nope is unknown
      joints.forEach((id, v) -> assertThat(v).isEqualTo(all.get(id).joint()));
    }
  }

  @Test
  void cachedFilterBitsFollowUpdatesAndDeletions() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      Map<String, Listing> current = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        Listing l = TestListings.randomListing(rnd, i);
        current.put(l.id(), l);
        index.upsert(TestListings.indexed(rnd, l, s));
      }
      index.refresh();
      for (int round = 0; round < 4; round++) {
        Filter f = Filter.builder().inStockOnly(true).material(TestListings.MATERIALS[round]).build();
        Set<String> exclude = Set.of("R-" + round, "R-" + (round + 100));
        Set<String> expected = current.values().stream().filter(f::matches).map(Listing::id)
            .filter(id -> !exclude.contains(id)).collect(Collectors.toSet());
        float[] q = TestListings.unitVector(rnd, 8);
        assertThat(ids(index.knn(VectorField.IMAGE, q, 300, f, exclude))).as("round %d", round)
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(ids(index.knn(VectorField.IMAGE, q, 300, f))).as("no exclusions")
            .containsExactlyInAnyOrderElementsOf(current.values().stream().filter(f::matches).map(Listing::id).toList());
        // flip stock and material of some listings, delete others: the next search must see it
        for (int i = round; i < 300; i += 7) {
          Listing l = current.get("R-" + i);
          if (l == null) {
            continue;
          }
          if (i % 2 == 0) {
            index.delete(l.id());
            current.remove(l.id());
          } else {
            Listing flipped = new Listing(l.id(), l.title(), l.titleEn(), l.description(), l.category(),
                TestListings.MATERIALS[(round + 1) % 4], l.gemstone(), l.color(), l.style(), l.price(), l.currency(),
                l.merchant(), l.images(), !l.inStock(), l.attributes());
            current.put(l.id(), flipped);
            index.upsert(TestListings.indexed(rnd, flipped, s));
          }
        }
        index.refresh();
      }
    }
  }

  @Test
  void concurrentSearchesWhileUpserting() throws Exception {
    IndexSettings s = TestListings.settings().withRefreshMillis(20);
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      for (int i = 0; i < 200; i++) {
        index.upsert(TestListings.indexed(rnd, TestListings.randomListing(rnd, i), s));
      }
      index.refresh();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger searches = new AtomicInteger();
      ExecutorService pool = Executors.newFixedThreadPool(9);
      try {
        List<Future<?>> tasks = new ArrayList<>();
        tasks.add(pool.submit(() -> {
          Random w = new Random(7);
          for (int i = 200; i < 1200; i++) {
            index.upsert(TestListings.indexed(w, TestListings.randomListing(w, i % 400), s));
            if (i % 100 == 0) {
              index.delete("R-" + (i % 50));
              index.commit(Map.of("i", Integer.toString(i)));
            }
          }
          stop.set(true);
          return null;
        }));
        for (int t = 0; t < 8; t++) {
          long seed = t;
          tasks.add(pool.submit(() -> {
            Random r = new Random(seed);
            while (!stop.get()) {
              Filter f = randomFilter(r);
              for (SearchHit h : index.knn(VectorField.IMAGE, TestListings.unitVector(r, 8), 10, f)) {
                assertThat(h.id()).startsWith("R-");
              }
              index.bm25("商品 item", 10, f);
              index.hybrid("item", TestListings.unitVector(r, 8), 5, f);
              index.get("R-" + r.nextInt(400));
              searches.incrementAndGet();
            }
            return null;
          }));
        }
        for (Future<?> f : tasks) {
          f.get(60, TimeUnit.SECONDS);
        }
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
      assertThat(searches.get()).isGreaterThan(8);
      index.refresh();
      assertThat(index.size()).isEqualTo(index.ids().size()).isLessThanOrEqualTo(400);
    }
  }

  @Test
  void quantizedFormatsOpenIndexAndSearch() {
    for (VectorFormat format : List.of(VectorFormat.INT8, VectorFormat.INT4)) {
      IndexSettings s = IndexSettings.defaults(32, 16, 8).withFormat(format);
      Path d = dir.resolve(format.name());
      List<IndexedListing> all = new ArrayList<>();
      try (CatalogIndex index = CatalogIndex.open(d, s)) {
        for (int i = 0; i < 300; i++) {
          IndexedListing l = new IndexedListing(TestListings.randomListing(rnd, i), "h",
              TestListings.unitVector(rnd, 32), TestListings.unitVector(rnd, 16), null);
          all.add(l);
          index.upsert(l);
        }
        index.commit(Map.of());
        index.forceMerge(1);
        index.refresh();
        int selfFound = 0;
        for (int i = 0; i < 50; i++) {
          IndexedListing l = all.get(i);
          List<SearchHit> hits = index.knn(VectorField.IMAGE, l.image(), 5, Filter.NONE);
          selfFound += hits.get(0).id().equals(l.id()) ? 1 : 0;
          assertThat(hits.get(0).score()).as(format.name()).isLessThanOrEqualTo(1.0001f);
        }
        // Re-scoring on raw floats makes the exact self match rank first.
        assertThat(selfFound).as(format.name()).isEqualTo(50);
        assertThat(index.get(all.get(7).id())).as("raw floats kept").contains(all.get(7));
      }
      try (CatalogIndex index = CatalogIndex.open(d, s)) {
        assertThat(index.size()).isEqualTo(300);
      }
    }
  }

  @Test
  void rejectsInvalidInputAtTheBoundary() {
    IndexSettings s = TestListings.settings();
    try (CatalogIndex index = CatalogIndex.open(dir, s)) {
      float[] q = TestListings.unitVector(rnd, 8);
      assertThatThrownBy(() -> index.knn(VectorField.IMAGE, q, 0, Filter.NONE)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.knn(VectorField.IMAGE, q, 1001, Filter.NONE)).isInstanceOf(IllegalArgumentException.class);
      assertThat(index.knn(VectorField.IMAGE, q, 1000, Filter.NONE)).isEmpty();
      assertThatThrownBy(() -> index.knn(VectorField.IMAGE, new float[7], 1, Filter.NONE))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> index.bm25("x", 0, Filter.NONE)).isInstanceOf(IllegalArgumentException.class);
      Listing l = TestListings.randomListing(rnd, 1);
      assertThatThrownBy(() -> index.upsert(new IndexedListing(l, "h", new float[8], null, null)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L2-normalized");
      assertThatThrownBy(() -> index.upsert(new IndexedListing(l, "h", TestListings.unitVector(rnd, 9), null, null)))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 dimensions");
      assertThatThrownBy(() -> new IndexedListing(l, " ", null, null, null)).isInstanceOf(IllegalArgumentException.class);
      index.upsert(TestListings.indexed(rnd, l, s));
      index.commit(Map.of());
    }
    assertThatThrownBy(() -> CatalogIndex.open(dir, IndexSettings.defaults(16, 8, 4)))
        .isInstanceOf(FacetException.class).hasMessageContaining("image vectors of 8 dimensions");
    assertThatThrownBy(() -> IndexSettings.defaults(600, 600, 4)).isInstanceOf(IllegalArgumentException.class);
  }

  // ---- helpers

  static Filter randomFilter(Random r) {
    Filter.Builder b = Filter.builder();
    if (r.nextInt(3) == 0) {
      b.category(TestListings.pick(r, TestListings.CATEGORIES));
    }
    if (r.nextInt(3) == 0) {
      b.material(TestListings.pick(r, TestListings.MATERIALS)).material(TestListings.pick(r, TestListings.MATERIALS));
    }
    if (r.nextInt(3) == 0) {
      b.gemstone(TestListings.pick(r, TestListings.GEMSTONES));
    }
    if (r.nextInt(4) == 0) {
      b.merchant(TestListings.pick(r, TestListings.MERCHANTS));
    }
    if (r.nextInt(3) == 0) {
      double min = r.nextInt(3) * 100.0;
      b.minPrice(min);
      if (r.nextBoolean()) {
        b.maxPrice(min + r.nextInt(3000));
      }
    } else if (r.nextInt(4) == 0) {
      b.maxPrice(r.nextInt(3) * 100.0);
    }
    b.inStockOnly(r.nextInt(3) == 0);
    return b.build();
  }

  private IndexedListing in(Listing l, IndexSettings s) {
    return TestListings.indexed(rnd, l, s);
  }

  /** A listing whose text vector is q rotated away by roughly {@code angle} radians. */
  private IndexedListing withText(Listing l, float[] q, float angle, IndexSettings s) {
    float[] other = TestListings.unitVector(rnd, 8);
    float dot = 0;
    for (int i = 0; i < 8; i++) {
      dot += other[i] * q[i];
    }
    float[] ortho = new float[8];
    for (int i = 0; i < 8; i++) {
      ortho[i] = other[i] - dot * q[i];
    }
    VectorMath.normalize(ortho);
    float[] t = new float[8];
    for (int i = 0; i < 8; i++) {
      t[i] = (float) (Math.cos(angle) * q[i] + Math.sin(angle) * ortho[i]);
    }
    return new IndexedListing(l, "h", TestListings.unitVector(rnd, 8), VectorMath.normalize(t), null);
  }

  private static float[] fused(Random r, IndexSettings s) {
    return new IndexedListing(TestListings.randomListing(r, 0), "h", TestListings.unitVector(r, s.imageDims()),
        TestListings.unitVector(r, s.textDims()), null).fused();
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).toList();
  }

}
