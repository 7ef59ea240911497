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
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
