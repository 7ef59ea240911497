package dev.facet.cli.web;

import com.google.inject.Guice;
import com.google.inject.util.Modules;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.engine.Facet;
import dev.facet.model.JointModelConfig;
import dev.facet.model.TrainingListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One generated 40-listing catalog, ingested and trained (two epochs) through the Facet API, served
 * in-process on a free port. Built once per test JVM and shared by the web test classes, because
 * ingest and training dominate their run time; closed by a shutdown hook.
 */
final class WebFixture {
  static final long SEED = 7L;
  static final int LISTINGS = 40;

  private static WebFixture shared;

  final Path catalog;
  final Facet facet;
  final FacetServer server;
  final URI base;
  final List<Listing> listings;
  /** Events per user in the generated interactions. */
  final Map<String, List<Interaction>> histories;

  private WebFixture(Path catalog, Facet facet, FacetServer server, List<Listing> listings,
      Map<String, List<Interaction>> histories) {
    this.catalog = catalog;
    this.facet = facet;
    this.server = server;
    this.base = URI.create("http://127.0.0.1:" + server.port());
    this.listings = listings;
    this.histories = histories;
  }

  static synchronized WebFixture shared() {
    if (shared == null) {
      shared = create(Path.of("target", "web-fixture").toAbsolutePath());
      WebFixture f = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        f.server.close();
        f.facet.close();
      }));
    }
    return shared;
  }

  private static WebFixture create(Path root) {
    Path catalog = root.resolve("catalog");
    Path work = root.resolve("work");
    deleteRecursively(work); // a stale index from an earlier run would skip the ingest under test
    new SampleCatalogGenerator().generate(LISTINGS, 20, SEED, catalog);
    FacetConfig config = new FacetConfig(work, modelsDir(), catalog, 2, Device.CPU, 42L);
    Facet facet = Guice.createInjector(Modules.override(Facet.modules(config)).with(binder ->
        binder.bind(JointModelConfig.class).toInstance(JointModelConfig.builder().seed(42L).device(Device.CPU)
            .epochs(2).patience(2).build()))).getInstance(Facet.class);
    facet.ingestor().ingest(catalog, false, dev.facet.engine.CatalogIngestor.Progress.NONE);
    facet.training().train(TrainingListener.NONE);
    List<Listing> listings = new ArrayList<>();
    Path listingsFile = facet.catalogReader().locate(catalog).listings();
    facet.catalogReader().readListings(listingsFile, listings::add, e -> { });
    Map<String, List<Interaction>> histories = new HashMap<>();
    Path events = facet.catalogReader().locate(catalog).interactions();
    facet.catalogReader().readInteractions(events, i -> histories.computeIfAbsent(i.user(), u -> new ArrayList<>()).add(i),
        e -> { });
    EngineState state = new EngineState();
    state.ready(facet, catalog);
    FacetServer server = FacetServer.start("127.0.0.1", 0, state);
    return new WebFixture(catalog, facet, server, List.copyOf(listings), Map.copyOf(histories));
  }

  /** The user with the longest history. */
  String warmUser() {
    return histories.entrySet().stream().max(Comparator.comparingInt(e -> e.getValue().size()))
        .map(Map.Entry::getKey).orElseThrow();
  }

  /**
   * The {@code nth} listing (in catalog order) that is the only one of its category, material and
   * gemstone. A new photo of such a listing has one right answer that any working image encoder must
   * rank first; a listing with a look-alike twin (same kind, metal and stone, other proportions) is a
   * fair near-tie that would make a top-1 assertion test the encoder's luck instead of the web path.
   * Chosen from catalog data only, never from search results.
   */
  Listing distinctiveListing(int nth) {
    Map<String, Long> counts = new HashMap<>();
    listings.forEach(l -> counts.merge(look(l), 1L, Long::sum));
    List<Listing> unique = listings.stream().filter(l -> counts.get(look(l)) == 1).toList();
    if (unique.size() <= nth) {
      throw new IllegalStateException("the fixture catalog has only " + unique.size() + " one-of-a-kind listings");
    }
    return unique.get(nth);
  }

  private static String look(Listing l) {
    return l.category() + "|" + l.material() + "|" + l.gemstone();
  }

  Listing listing(String id) {
    return listings.stream().filter(l -> l.id().equals(id)).findFirst().orElseThrow();
  }

  /** A new photo of {@code listing}: same product, another pose, light and background. */
  static byte[] rephotograph(Listing listing, long variant) {
    SampleCatalogGenerator generator = new SampleCatalogGenerator();
    return SampleCatalogGenerator.jpeg(generator.renderPhoto(listing, variant));
  }

  static Path modelsDir() {
    Path models = Path.of(System.getProperty("facet.project.root", "../..")).resolve("models");
    if (!Files.isDirectory(models)) {
      throw new IllegalStateException("models/ not found under " + models.toAbsolutePath());
    }
    return models;
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
