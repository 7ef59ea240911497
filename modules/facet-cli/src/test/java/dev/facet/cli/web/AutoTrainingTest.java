package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.util.Modules;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.EventType;
import dev.facet.core.FacetConfig;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Reason;
import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.engine.ModelTraining;
import dev.facet.engine.Recommendations;
import dev.facet.model.JointModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shop on day one serves from the fallbacks; the background check trains the first model once the
 * events reach {@link ModelTraining#MIN_EVENTS_TO_TRAIN}, not before, and that model serves the
 * running engine without a restart.
 */
class AutoTrainingTest {
  @TempDir
  Path tmp;

  @Test
  void theFirstModelTrainsByItselfAtTheThresholdAndServesWithoutARestart() throws Exception {
    Path generated = tmp.resolve("generated");
    new SampleCatalogGenerator().generate(30, 5, 3L, generated);
    Path catalog = Files.createDirectories(tmp.resolve("catalog")); // listings and photos, no behaviour
    Files.copy(generated.resolve("listings.jsonl"), catalog.resolve("listings.jsonl"));
    Files.createDirectories(catalog.resolve("images"));
    try (Stream<Path> images = Files.list(generated.resolve("images"))) {
      for (Path image : images.toList()) {
        Files.copy(image, catalog.resolve("images").resolve(image.getFileName()));
      }
    }
    FacetConfig config = new FacetConfig(tmp.resolve("work"), WebFixture.modelsDir(), catalog, 2, Device.CPU, 42L);
    try (Facet facet = Guice.createInjector(Modules.override(Facet.modules(config)).with(binder ->
        binder.bind(JointModelConfig.class).toInstance(JointModelConfig.builder().seed(42L).device(Device.CPU)
            .epochs(2).patience(2).build()))).getInstance(Facet.class)) {
      facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      List<String> items = facet.index().ids().stream().sorted().toList();
      List<Interaction> events = new ArrayList<>();
      for (int i = 0; i < ModelTraining.MIN_EVENTS_TO_TRAIN; i++) {
        // 20 shoppers, each keeping to a third of the catalog, so there is something to learn
        int user = i % 20;
        events.add(new Interaction("shopper-" + user, items.get((user % 3) * 10 + (i / 20) % 10), EventType.CLICK,
            Instant.parse("2026-03-01T00:00:00Z").plusSeconds(i)));
      }
      facet.recordEvents(events.subList(0, events.size() - 1));
      ScheduledExecutorService timer = AutoTraining.start(facet, 100);
      try {
        Thread.sleep(1_500); // fifteen checks below the threshold
        assertThat(facet.training().hasModel()).as("no training below the threshold").isFalse();
        Recommendations before = facet.recommendations("shopper-1", 5, Filter.NONE);
        assertThat(before.generation()).isNull();
        assertThat(before.items().get(0).reasons()).extracting(Reason::kind)
            .containsAnyOf(Reason.Kind.CONTENT, Reason.Kind.POPULAR, Reason.Kind.CATALOG);
        facet.recordEvent(events.get(events.size() - 1));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        Recommendations after = before;
        while (after.generation() == null && System.nanoTime() < deadline) {
          Thread.sleep(100);
          after = facet.recommendations("shopper-1", 5, Filter.NONE);
        }
        assertThat(after.generation()).as("trained by itself at the threshold and serving without a restart")
            .isNotNull();
        assertThat(facet.training().hasModel()).isTrue();
        assertThat(after.items()).isNotEmpty();
        assertThat(facet.training().whyNoModel()).isEmpty();
      } finally {
        timer.shutdownNow();
        timer.awaitTermination(1, TimeUnit.MINUTES);
      }
    }
  }
}
