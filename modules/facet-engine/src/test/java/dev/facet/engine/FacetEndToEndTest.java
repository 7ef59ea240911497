package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.EventType;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.index.IndexedListing;
import dev.facet.model.JointModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine on a small generated catalog with the real encoders and a briefly trained joint model:
 * ingestion semantics, similarity search, recommendations, cold start, live events and concurrency.
 * Tests run in order because later ones build on the trained model.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FacetEndToEndTest {
  @TempDir
  static Path tmp;

  static Path catalog;
  static Facet facet;

  @BeforeAll
  static void setUp() {
    catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), 60, 40, 11);
    facet = EngineFixture.open(EngineFixture.config(tmp.resolve("work"), catalog), 4);
  }

  @AfterAll
  static void tearDown() {
    if (facet != null) {
      facet.close();
    }
  }

  @Test
  @Order(1)
  void ingestIndexesEveryListingThenSkipsUnchangedOnes() {
    CatalogIngestor.Report first = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(first.upserted()).isEqualTo(60);
    assertThat(first.rejected()).isZero();
    assertThat(facet.index().size()).isEqualTo(60);

    CatalogIngestor.Report again = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(again.upserted()).isZero();
    assertThat(again.unchanged()).isEqualTo(60);
  }

  @Test
  @Order(2)
  void changedListingIsReembeddedAndMissingOneDeleted() throws IOException {
    Path file = catalog.resolve("listings.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    String removed = lines.remove(lines.size() - 1);
    String removedId = removed.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    String changedId = lines.get(0).replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
    lines.set(0, lines.get(0).replaceFirst("\"price\":[0-9.]+", "\"price\":1234.0"));
    Files.write(file, lines, StandardCharsets.UTF_8);
    try {
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, true, CatalogIngestor.Progress.NONE);
      assertThat(report.upserted()).as("a price change needs no embedding").isZero();
      assertThat(report.edited()).isEqualTo(1);
      assertThat(report.deleted()).isEqualTo(1);
      assertThat(facet.index().get(removedId)).isEmpty();
      assertThat(facet.index().get(changedId).orElseThrow().listing().price()).isEqualTo(1234.0);
    } finally {
      lines.add(removed);
      Files.write(file, lines, StandardCharsets.UTF_8);
    }
    CatalogIngestor.Report restored = facet.ingestor().ingest(catalog, true, CatalogIngestor.Progress.NONE);
    assertThat(restored.upserted()).isEqualTo(1);
    assertThat(facet.index().size()).isEqualTo(60);
  }

  @Test
  @Order(3)
  void brokenListingIsRejectedAndTheRestIndexed() throws IOException {
    Path copy = tmp.resolve("broken");
    Files.createDirectories(copy.resolve("images"));
    List<String> lines = Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8).subList(0, 5);
    List<String> out = new ArrayList<>(lines);
    out.add("{\"id\":\"X-1\",\"title\":\"坏图\",\"category\":\"ring\",\"price\":10,\"images\":[\"images/X-1.jpg\"]}");
    out.add("{not json");
    Files.write(copy.resolve("listings.jsonl"), out, StandardCharsets.UTF_8);
    Files.writeString(copy.resolve("images/X-1.jpg"), "not an image");
    for (String line : lines) {
      String id = line.replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
      Files.copy(catalog.resolve("images/" + id + ".jpg"), copy.resolve("images/" + id + ".jpg"));
    }
    try (Facet other = EngineFixture.open(EngineFixture.config(tmp.resolve("work-broken"), copy), 1)) {
      CatalogIngestor.Report report = other.ingestor().ingest(copy, false, CatalogIngestor.Progress.NONE);
      assertThat(report.upserted()).isEqualTo(5);
      assertThat(report.rejected()).isEqualTo(2);
      assertThat(other.index().size()).isEqualTo(5);
      assertThat(Files.readString(report.rejectsFile())).contains("X-1").contains("malformed JSON");
    }
  }

  @Test
  @Order(4)
  void similarByItemRespectsFiltersAndExcludesTheQuery() {
    String id = facet.index().ids().stream().sorted().findFirst().orElseThrow();
    Listing subject = facet.index().get(id).orElseThrow().listing();
    Filter filter = Filter.builder().category(subject.category()).maxPrice(subject.price() * 3).build();
    for (SimilarItems.Mode mode : SimilarItems.Mode.values()) {
      List<SearchHit> hits = facet.similar().byItem(id, mode, 10, filter);
      assertThat(hits).isNotEmpty().extracting(SearchHit::id).doesNotContain(id);
      for (SearchHit h : hits) {
        assertThat(filter.matches(facet.index().get(h.id()).orElseThrow().listing())).isTrue();
      }
    }
  }

  @Test
  @Order(5)
  void photoOfAListingFromAnotherAngleFindsIt() {
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    int found = 0;
    List<String> ids = facet.index().ids().stream().sorted().limit(10).toList();
    for (String id : ids) {
      Listing l = facet.index().get(id).orElseThrow().listing();
      byte[] photo = SampleCatalogGenerator.jpeg(generator.renderPhoto(l, 987654321L + id.hashCode()));
      List<SearchHit> hits = facet.similar().byImage(photo, id + "-reshoot.jpg", 5, Filter.NONE);
      if (hits.stream().anyMatch(h -> h.id().equals(id))) {
        found++;
      }
    }
    assertThat(found).as("re-rendered photos whose listing is in the top 5").isGreaterThanOrEqualTo(6);
  }

  @Test
  @Order(6)
  void textSearchFindsChineseAndEnglish() {
    Listing any = facet.index().get(facet.index().ids().iterator().next()).orElseThrow().listing();
    List<SearchHit> hits = facet.similar().byText(any.title(), SimilarItems.TextMode.HYBRID, 5, Filter.NONE);
    assertThat(hits).extracting(SearchHit::id).contains(any.id());
    assertThatThrownBy(() -> facet.similar().byText(" ", SimilarItems.TextMode.BM25, 5, Filter.NONE))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @Order(10)
  void trainingWritesJointVectorsForEveryListing() {
    ModelTraining.Result result = facet.training().train(dev.facet.model.TrainingListener.NONE);
    assertThat(result.itemVectorsWritten()).isEqualTo(60);
    for (String id : facet.index().ids()) {
      assertThat(facet.index().get(id).orElseThrow().joint()).as(id).isNotNull();
    }
  }

  @Test
  @Order(11)
  void recommendationsRespectFiltersExcludePurchasesAndExplainThemselves() {
    String user = warmUser();
    Set<String> history = new HashSet<>();
    facet.behaviour().store().recent(user, 1000).forEach(i -> history.add(i.item()));
    Set<String> purchased = facet.behaviour().store().purchased(user);

    List<Recommendation> recs = facet.recommend(user, 10, Filter.NONE);
    assertThat(recs).isNotEmpty().hasSizeLessThanOrEqualTo(10);
    assertThat(recs).extracting(Recommendation::itemId).doesNotContainAnyElementsOf(purchased).doesNotHaveDuplicates();
    assertThat(recs.stream().flatMap(r -> r.reasons().stream()).toList()).isNotEmpty();
    for (Recommendation r : recs) {
      IndexedListing doc = facet.index().get(r.itemId()).orElseThrow();
      assertThat(doc.listing().inStock()).isTrue();
      for (Reason reason : r.reasons()) {
        if (reason.kind() == Reason.Kind.SIMILAR_TO_HISTORY) {
          assertThat(history).as("the named past item is in the user's history").contains(reason.relatedItem());
        }
      }
    }
    Listing top = facet.index().get(recs.get(0).itemId()).orElseThrow().listing();
    Filter filter = Filter.builder().category(top.category()).build();
    List<Recommendation> filtered = facet.recommend(user, 5, filter);
    assertThat(filtered).isNotEmpty();
    for (Recommendation r : filtered) {
      assertThat(facet.index().get(r.itemId()).orElseThrow().listing().category()).isEqualTo(top.category());
    }
  }

  @Test
  @Order(11)
  void scoresAndReasonsFollowTheTrainedDjlModel() {
    String user = warmUser();
    JointModel model = facet.models().current().orElseThrow();
    // asked now, as the recommender asks: the sample's sessions are long over
    JointModel.UserVector djl = model.userVector(user, facet.behaviour().store().recent(user, Recommender.HISTORY),
        facet.behaviour().store().profile(user), java.time.Instant.now());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < djl.attention().length; i++) {
      order.add(i);
    }
    order.sort((a, b) -> Float.compare(djl.attention()[b], djl.attention()[a]));
    List<String> attended = order.stream().limit(5).map(djl.history()::get).toList();
    Map<String, Double> preferences = model.predictedPreferences(djl.vector());

    List<Recommendation> recs = facet.recommend(user, 10, Filter.NONE);
    assertThat(recs).isNotEmpty();
    var rerank = model.rerankTerm(facet.behaviour().store().recent(user, Recommender.HISTORY));
    int historyReasons = 0;
    for (Recommendation r : recs) {
      IndexedListing doc = facet.index().get(r.itemId()).orElseThrow();
      assertThat(r.score()).as("score u·v with the DJL user vector, plus the item-to-item term")
          .isCloseTo(dev.facet.core.VectorMath.dot(djl.vector(), doc.joint()) + rerank.applyAsDouble(r.itemId()),
          org.assertj.core.data.Offset.offset(1e-3));
      for (Reason reason : r.reasons()) {
        if (reason.kind() == Reason.Kind.SIMILAR_TO_HISTORY) {
          historyReasons++;
          // the named item is, among the five the DJL attention weights most, the closest to the candidate
          assertThat(attended).contains(reason.relatedItem());
          double named = MmrDiversifier.cosine(facet.index().get(reason.relatedItem()).orElseThrow().joint(), doc.joint());
          for (String other : attended) {
            if (!other.equals(r.itemId())) {
              assertThat(named).as("%s vs %s", reason.relatedItem(), other)
                  .isGreaterThanOrEqualTo(MmrDiversifier.cosine(facet.index().get(other).orElseThrow().joint(), doc.joint()) - 1e-6);
            }
          }
        } else if (reason.kind() == Reason.Kind.MATCHES_TASTE) {
          List<String> named = List.of(reason.text().substring(reason.text().indexOf(": ") + 2).split(", "));
          Listing l = doc.listing();
          Map<String, String> attributes = new java.util.LinkedHashMap<>();
          attributes.put("material", l.material());
          attributes.put("gemstone", l.gemstone());
          attributes.put("category", l.category());
          attributes.put("style", l.style());
          attributes.put("color", l.color());
          List<String> expected = new ArrayList<>();
          attributes.forEach((key, value) -> {
            Double p = value == null || value.equals("none") ? null : preferences.get(key + "=" + value);
            double top = preferences.entrySet().stream().filter(e -> e.getKey().startsWith(key + "="))
                .mapToDouble(Map.Entry::getValue).max().orElse(0);
            if (p != null && p >= top * 0.8 + 1e-4) {
              expected.add(value.replace('_', ' '));
            }
            if (p != null && p < top * 0.8 - 1e-4) {
              assertThat(named).as("%s=%s is not a predicted taste", key, value).doesNotContain(value.replace('_', ' '));
            }
          });
          assertThat(named).containsAll(expected);
        }
      }
    }
    assertThat(historyReasons).isPositive();
  }

  @Test
  @Order(12)
  void unknownUserGetsPopularItemsAndSessionsGetPersonalisedOnes() {
    List<Recommendation> cold = facet.recommend("u-nobody", 5, Filter.NONE);
    assertThat(cold).hasSize(5);
    assertThat(cold).allSatisfy(r -> assertThat(r.reasons()).extracting(Reason::kind).containsExactly(Reason.Kind.POPULAR));
    String seen = facet.index().ids().stream().sorted().findFirst().orElseThrow();
    List<Recommendation> session = facet.recommendForSession(List.of(seen), 5, Filter.NONE);
    assertThat(session).isNotEmpty().extracting(Recommendation::itemId).doesNotContain(seen);
    assertThat(session.get(0).reasons()).extracting(Reason::kind).doesNotContain(Reason.Kind.POPULAR);
  }

  @Test
  @Order(13)
  void liveEventsChangeTheNextRecommendation() {
    String user = warmUser();
    List<Recommendation> before = facet.recommend(user, 5, Filter.NONE);
    String bought = before.get(0).itemId();
    facet.recordEvent(new Interaction(user, bought, EventType.PURCHASE, Instant.parse("2027-01-01T00:00:00Z")));
    List<Recommendation> after = facet.recommend(user, 5, Filter.NONE);
    assertThat(after).extracting(Recommendation::itemId).doesNotContain(bought);

    // A brand-new visitor with one live event is no longer cold.
    facet.recordEvent(new Interaction("u-live", bought, EventType.CART, Instant.parse("2027-01-01T00:00:00Z")));
    List<Recommendation> live = facet.recommend("u-live", 5, Filter.NONE);
    assertThat(live.get(0).reasons()).extracting(Reason::kind).doesNotContain(Reason.Kind.POPULAR);
  }

  @Test
  @Order(14)
  void listingIngestedAfterTrainingIsRecommendableAtOnce() throws IOException {
    String templateId = facet.index().ids().stream().sorted().findFirst().orElseThrow();
    Listing template = facet.index().get(templateId).orElseThrow().listing();
    Listing fresh = new Listing("Z-00001", template.title() + " 新款", template.titleEn(), template.description(),
        template.category(), template.material(), template.gemstone(), template.color(), template.style(),
        template.price(), template.currency(), template.merchant(), List.of("images/Z-00001.jpg"), true, Map.of());
    Files.write(catalog.resolve("images/Z-00001.jpg"),
        SampleCatalogGenerator.jpeg(new SampleCatalogGenerator().renderPhoto(fresh, 4242)));
    String line = "{\"id\":\"Z-00001\",\"title\":\"" + fresh.title() + "\",\"title_en\":\"" + template.titleEn()
        + "\",\"category\":\"" + template.category() + "\",\"material\":\"" + template.material() + "\",\"gemstone\":\""
        + template.gemstone() + "\",\"price\":" + template.price() + ",\"images\":[\"images/Z-00001.jpg\"],\"in_stock\":true}\n";
    Files.writeString(catalog.resolve("listings.jsonl"), line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);

    CatalogIngestor.Report report = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(report.upserted()).isEqualTo(1);
    assertThat(facet.index().get("Z-00001").orElseThrow().joint()).as("content-tower joint vector").isNotNull();
    Filter sameKind = Filter.builder().category(template.category()).material(template.material()).build();
    List<Recommendation> recs = facet.recommendForSession(List.of(templateId), 10, sameKind);
    assertThat(recs).extracting(Recommendation::itemId).contains("Z-00001");
  }

  @Test
  @Order(20)
  void concurrentSearchesAndRecommendationsDuringAnIngest() throws Exception {
    List<String> users = facet.behaviour().store().usersWithHistory();
    List<String> ids = facet.index().ids().stream().sorted().toList();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Integer>> futures = new ArrayList<>();
      futures.add(pool.submit(() -> {
        facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
        return 0;
      }));
      for (int t = 0; t < 8; t++) {
        int seed = t;
        futures.add(pool.submit(() -> {
          int calls = 0;
          for (int i = 0; i < 25; i++) {
            if ((i + seed) % 2 == 0) {
              assertThat(facet.recommend(users.get((i * 7 + seed) % users.size()), 5, Filter.NONE)).isNotEmpty();
            } else {
              assertThat(facet.similar().byItem(ids.get((i * 13 + seed) % ids.size()), SimilarItems.Mode.IMAGE, 5,
                  Filter.NONE)).isNotEmpty();
            }
            calls++;
          }
          return calls;
        }));
      }
      for (Future<Integer> f : futures) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static String warmUser() {
    return facet.behaviour().store().usersWithHistory().stream()
        .max(java.util.Comparator.comparingInt(u -> facet.behaviour().store().recent(u, 1000).size()))
        .orElseThrow();
  }
}
