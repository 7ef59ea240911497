package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.core.EventType;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import dev.facet.model.JointModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live catalog against a trained engine: metadata edits keep what was learned, content edits
 * embed again, and a shop with no behaviour serves by the fallback.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LiveCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir
  static Path tmp;

  static Path catalog;
  static Facet facet;

  @BeforeAll
  static void setUp() {
    catalog = EngineFixture.generateCatalog(tmp.resolve("catalog"), 60, 40, 17);
    facet = EngineFixture.open(EngineFixture.config(tmp.resolve("work"), catalog), 4);
    facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    facet.training().train(dev.facet.model.TrainingListener.NONE);
  }

  @AfterAll
  static void tearDown() {
    if (facet != null) {
      facet.close();
    }
  }

  @Test
  @Order(1)
  void stockOffAndOnAndAPriceChangeKeepATrainedUsersTopTenExactly() throws IOException {
    String user = facet.behaviour().store().usersWithHistory().get(0);
    List<Recommendation> before = facet.recommend(user, 10, Filter.NONE);
    String a = before.get(0).itemId();
    String b = before.get(1).itemId();
    float[] jointB = facet.index().get(b).orElseThrow().joint();

    edit(a, l -> l.put("in_stock", false));
    CatalogIngestor.Report off = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(off.edited()).isEqualTo(1);
    assertThat(off.upserted()).as("nothing embedded for a stock change").isZero();
    assertThat(facet.recommend(user, 10, Filter.NONE)).extracting(Recommendation::itemId).doesNotContain(a);

    edit(a, l -> l.put("in_stock", true));
    edit(b, l -> l.put("price", Math.round(l.get("price").asDouble() * 101) / 100.0));
    CatalogIngestor.Report back = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(back.edited()).isEqualTo(2);
    assertThat(back.upserted()).isZero();
    assertThat(facet.index().get(b).orElseThrow().joint()).as("trained joint vector kept").isEqualTo(jointB);
    assertThat(facet.recommend(user, 10, Filter.NONE)).extracting(Recommendation::itemId)
        .containsExactlyElementsOf(before.stream().map(Recommendation::itemId).toList());
  }

  @Test
  @Order(2)
  void aPhotoChangeEmbedsAgainAndKeepsTheLearnedIdPart() throws IOException {
    List<String> ids = facet.index().ids().stream().sorted().toList();
    String id = ids.stream().filter(i -> facet.models().current().orElseThrow().isTrainedItem(i)).findFirst().orElseThrow();
    String other = ids.stream().filter(i -> !i.equals(id)).findFirst().orElseThrow();
    IndexedListing old = facet.index().get(id).orElseThrow();
    edit(id, l -> l.putArray("images").add("images/" + other + ".jpg"));
    CatalogIngestor.Report r = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
    assertThat(r.upserted()).isEqualTo(1);
    IndexedListing now = facet.index().get(id).orElseThrow();
    assertThat(now.image()).isNotEqualTo(old.image());
    // The same photo, embedded in another batch: equal up to the encoder's batch numerics.
    assertThat(MmrDiversifier.cosine(now.image(), facet.index().get(other).orElseThrow().image())).isGreaterThan(0.999);
    float[] contentOnly = facet.models().current().orElseThrow()
        .itemVectorFromContent(facet.features().of(now.listing(), now.image(), now.text()));
    assertThat(now.joint()).as("the learned id part is kept").isNotEqualTo(contentOnly);
  }

  @Test
  @Order(3)
  void aShopWithNoBehaviourServesFromTheCatalogAndSaysWhyThereIsNoModel() throws IOException {
    Path bare = Files.createDirectories(tmp.resolve("bare"));
    Files.copy(catalog.resolve("listings.jsonl"), bare.resolve("listings.jsonl"));
    Files.createSymbolicLink(bare.resolve("images"), catalog.resolve("images"));
    System.setProperty(dev.facet.catalog.CatalogImagePaths.ROOTS_PROPERTY, catalog.toString());
    try (Facet dayOne = EngineFixture.open(EngineFixture.config(tmp.resolve("work-bare"), bare), 1)) {
      dayOne.ingestor().ingest(bare, false, CatalogIngestor.Progress.NONE);
      assertThat(dayOne.training().due()).isFalse();
      assertThat(dayOne.training().whyNoModel()).hasValueSatisfying(why -> assertThat(why).contains("0 behaviour events"));
      List<Recommendation> recs = dayOne.recommend("u-new", 5, Filter.NONE);
      assertThat(recs).hasSize(5).allSatisfy(r ->
          assertThat(r.reasons()).extracting(Reason::kind).containsExactly(Reason.Kind.CATALOG));
      String seen = recs.get(0).itemId();
      dayOne.recordEvent(new Interaction("u-new", seen, EventType.VIEW, Instant.now()));
      List<Recommendation> after = dayOne.recommend("u-new", 5, Filter.NONE);
      assertThat(after.get(0).reasons()).extracting(Reason::kind).containsExactly(Reason.Kind.CONTENT);
      assertThat(after).extracting(Recommendation::itemId).doesNotContain(seen);
    } finally {
      System.clearProperty(dev.facet.catalog.CatalogImagePaths.ROOTS_PROPERTY);
    }
  }

  @Test
  @Order(4)
  void batchEventsAreReadBackOnceAfterAReopen() {
    Path work = tmp.resolve("work-events");
    List<Interaction> batch = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      batch.add(new Interaction("u-batch", "L-" + i, EventType.CLICK, Instant.parse("2027-01-01T00:00:00Z").plusSeconds(i)));
    }
    try (Facet first = EngineFixture.open(EngineFixture.config(work, null), 1)) {
      first.recordEvents(batch);
    }
    try (Facet second = EngineFixture.open(EngineFixture.config(work, null), 1)) {
      assertThat(second.behaviour().store().recent("u-batch", 1000)).containsExactlyElementsOf(batch);
      assertThat(second.behaviour().store().size()).isEqualTo(50);
    }
  }

  @Test
  @Order(5)
  void aPublicationKilledAtAnyPointLeavesTheOldGenerationOrTheNewOne() throws IOException {
    Path file = ModelHolder.modelFile(facet.config());
    Path next = file.resolveSibling("joint.model.next");
    Path saved = tmp.resolve("joint.model.saved");
    Files.copy(file, saved);
    // Killed before the vectors were committed: the staged file is not the committed generation.
    Files.writeString(next, "a model whose vectors never reached the index");
    try (ModelHolder holder = new ModelHolder(facet.config(), facet::index)) {
      assertThat(holder.current()).isPresent();
      assertThat(next).doesNotExist();
    }
    // Killed after the vectors were committed, before the rename: the staged file is promoted.
    Files.move(file, next);
    try (ModelHolder holder = new ModelHolder(facet.config(), facet::index)) {
      assertThat(holder.current()).isPresent();
      assertThat(file).exists();
      assertThat(next).doesNotExist();
    }
    // A model file that is not the generation the index holds is not served.
    Files.writeString(file, "another model");
    try (ModelHolder holder = new ModelHolder(facet.config(), facet::index)) {
      assertThat(holder.current()).isEmpty();
      assertThat(holder.absence()).contains("not the one whose item vectors the index holds");
    } finally {
      Files.copy(saved, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  @Order(6)
  void requestsDuringARetrainingEachComeWholeFromOneGeneration() throws Exception {
    Path file = ModelHolder.modelFile(facet.config());
    Path first = tmp.resolve("generation-a.model");
    Files.copy(file, first, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String genA = facet.models().generation();
    List<String> ids = facet.index().ids().stream().sorted().toList();
    Map<String, float[]> vectorsA = facet.index().vectors(VectorField.JOINT, ids);
    // New shoppers, so that the retrained model (and its generation id) differs from the served one.
    List<Interaction> more = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      more.add(new Interaction("u-more-" + i % 12, ids.get(i * 7 % ids.size()), EventType.CLICK,
          Instant.parse("2025-06-01T00:00:00Z").plusSeconds(i)));
    }
    facet.recordEvents(more);
    List<String> users = facet.usersWithHistory().stream().filter(u -> !u.startsWith("u-more")).limit(4).toList();
    AtomicBoolean trained = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(3);
    List<Future<List<Answer>>> callers = new ArrayList<>();
    try {
      for (int t = 0; t < 3; t++) {
        callers.add(pool.submit(() -> {
          List<Answer> out = new ArrayList<>();
          for (int after = 0; after < 20; after += trained.get() ? 1 : 0) {
            for (String user : users) {
              out.add(new Answer(user, facet.recommendations(user, 10, Filter.NONE)));
            }
          }
          return out;
        }));
      }
      facet.training().train(dev.facet.model.TrainingListener.NONE);
      trained.set(true);
      List<Answer> answers = new ArrayList<>();
      for (Future<List<Answer>> caller : callers) {
        answers.addAll(caller.get());
      }
      String genB = facet.models().generation();
      assertThat(genB).isNotEqualTo(genA);
      assertThat(answers).extracting(a -> a.result().generation()).contains(genA, genB).containsOnly(genA, genB);
      Map<String, float[]> vectorsB = facet.index().vectors(VectorField.JOINT, ids);
      try (JointModel a = JointModel.load(first); JointModel b = JointModel.load(file)) {
        Map<String, Scorer> scorers = Map.of(genA, new Scorer(a, genA, vectorsA), genB, new Scorer(b, genB, vectorsB));
        for (Answer answer : answers) {
          Scorer scorer = scorers.get(answer.result().generation());
          assertThat(answer.result().items()).isNotEmpty();
          for (Recommendation r : answer.result().items()) {
            assertThat(r.score()).as("%s for %s from generation %s", r.itemId(), answer.user(), scorer.generation)
                .isCloseTo(scorer.score(answer.user(), r.itemId()), org.assertj.core.data.Offset.offset(1e-4));
          }
        }
      }
    } finally {
      trained.set(true);
      pool.shutdownNow();
    }
  }

  /** One recommendation call and its answer. */
  private record Answer(String user, Recommendations result) {}

  /** A generation's scores recomputed from its model file and the item vectors it wrote. */
  private static final class Scorer {
    final String generation;
    final ServingModel model;
    final Map<String, float[]> vectors;

    Scorer(JointModel model, String generation, Map<String, float[]> vectors) {
      this.generation = generation;
      this.model = new ServingModel(model, generation);
      this.vectors = vectors;
    }

    double score(String user, String item) {
      List<Interaction> history = facet.history(user, Recommender.HISTORY);
      float[] u = model.inference().userVector(user, history, facet.behaviour().store().profile(user), Instant.now())
          .vector();
      return dev.facet.core.VectorMath.dot(u, vectors.get(item)) + model.model().rerankTerm(history).applyAsDouble(item);
    }
  }

  @Test
  @Order(7)
  void aBatchIsShownToRequestsWholeWhenItIsCommittedAndNotBefore() throws IOException {
    List<String> lines = Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8).subList(0, 6);
    StringBuilder body = new StringBuilder();
    List<String> ids = new ArrayList<>();
    for (String line : lines) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      String id = "batch-" + node.get("id").asText();
      node.put("id", id);
      ids.add(id);
      body.append(JSON.writeValueAsString(node)).append('\n');
    }
    Path batch = Files.writeString(tmp.resolve("batch.jsonl"), body.toString(), StandardCharsets.UTF_8);
    List<Integer> indexed = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<Integer> served = new java.util.concurrent.CopyOnWriteArrayList<>();
    CatalogIngestor.Report report = facet.ingestor().upsertBatch(batch, catalog, catalog, new CatalogIngestor.Progress() {
      @Override
      public void start(long total) {}

      @Override
      public void advanceTo(long done) {
        facet.index().refresh(); // what the background refresh would show meanwhile
        indexed.add(facet.index().getAll(ids).size());
        try (ServingGenerations.Snapshot now = facet.generations().acquire()) {
          served.add(now.search().getAll(ids).size());
        }
      }
    });
    assertThat(report.upserted()).isEqualTo(ids.size());
    assertThat(indexed).as("the index held part of the batch while it ran").anySatisfy(n -> assertThat(n).isPositive());
    assertThat(served).as("requests saw none of it before the commit").containsOnly(0);
    try (ServingGenerations.Snapshot now = facet.generations().acquire()) {
      assertThat(now.search().getAll(ids)).as("and all of it after").hasSize(ids.size());
    }
  }

  @Test
  @Order(8)
  void anIndexFilledOutsideIngestTakesPriceEditsWithoutEmbeddingOnceItsEncodersAreRecorded() throws IOException {
    // As bench live fills its scratch index: documents copied from an ingested index, the model beside them.
    dev.facet.core.FacetConfig config = facet.config().withWorkDir(tmp.resolve("filled"));
    Files.createDirectories(ModelHolder.modelFile(config).getParent());
    Files.copy(ModelHolder.modelFile(facet.config()), ModelHolder.modelFile(config));
    List<String> lines = Files.readAllLines(catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8).subList(0, 6);
    StringBuilder body = new StringBuilder();
    try (Facet filled = EngineFixture.open(config, 1)) {
      for (String line : lines) {
        ObjectNode node = (ObjectNode) JSON.readTree(line);
        filled.index().upsert(facet.index().get(node.get("id").asText()).orElseThrow());
        node.put("price", Math.round(node.get("price").asDouble() * 105) / 100.0);
        body.append(JSON.writeValueAsString(node)).append('\n');
      }
      filled.index().commit(Map.of());
      filled.index().refresh();
      filled.ingestor().recordCurrentEncoders();
      Path batch = Files.writeString(tmp.resolve("prices.jsonl"), body.toString(), StandardCharsets.UTF_8);

      CatalogIngestor.Report report = filled.ingestor().upsertBatch(batch, catalog, catalog, CatalogIngestor.Progress.NONE);

      assertThat(report.edited()).as(report.summary()).isEqualTo(lines.size());
      assertThat(report.upserted()).isZero();
      assertThat(report.retiredModel()).isNull();
      assertThat(filled.training().hasModel()).isTrue();
    }
  }

  /** Rewrites one listing of the catalog file. */
  private static void edit(String id, Consumer<ObjectNode> change) throws IOException {
    Path file = catalog.resolve("listings.jsonl");
    StringBuilder out = new StringBuilder();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      ObjectNode node = (ObjectNode) JSON.readTree(line);
      if (node.get("id").asText().equals(id)) {
        change.accept(node);
      }
      out.append(JSON.writeValueAsString(node)).append('\n');
    }
    Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
  }
}
