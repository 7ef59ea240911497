package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unchanged listings are skipped only while the encoders stay the same: after an encoder change
 * every listing is embedded again, and after that the skipping resumes.
 */
class EncoderChangeReingestTest {
  @TempDir
  Path dir;

  @Test
  void anotherImageEncoderReembedsEveryListingOnce() throws Exception {
    // A second descriptor id for the same weights stands in for a retrained encoder of the same size.
    Path models = dir.resolve("models");
    Files.createDirectories(models);
    try (Stream<Path> files = Files.list(EngineFixture.modelsDir())) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Files.copy(f, models.resolve(f.getFileName()));
      }
    }
    Path weights = EngineFixture.modelsDir().resolve("image-resnet-catalog");
    Files.createSymbolicLink(models.resolve("image-resnet-catalog"), weights.toAbsolutePath());
    String descriptor = Files.readString(models.resolve("image-resnet-catalog.json"))
        .replace("\"id\": \"image-resnet-catalog\"", "\"id\": \"image-resnet-retrained\"");
    Files.writeString(models.resolve("image-resnet-retrained.json"), descriptor);

    Path catalog = EngineFixture.generateCatalog(dir.resolve("catalog"), 12, 4, 3L);
    FacetConfig base = EngineFixture.config(dir.resolve("work"), catalog);
    FacetConfig config = new FacetConfig(base.workDir(), models, catalog, base.threads(), base.device(), base.seed());
    try (Facet facet = Facet.open(config)) {
      assertThat(facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE).upserted()).isEqualTo(12);
      assertThat(facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE).unchanged()).isEqualTo(12);
    }
    EmbedSettings retrained = EmbedSettings.defaults().withImageModelId("image-resnet-retrained");
    try (Facet facet = Facet.open(config, retrained)) {
      CatalogIngestor.Report again = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(again.upserted()).as("every listing re-embedded by the new encoder").isEqualTo(12);
      assertThat(again.unchanged()).isZero();
      CatalogIngestor.Report then = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(then.upserted()).isZero();
      assertThat(then.unchanged()).isEqualTo(12);
    }
    // The record survives closing and reopening: no re-embedding on the next run.
    try (Facet facet = Facet.open(config, retrained)) {
      assertThat(facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE).unchanged()).isEqualTo(12);
    }
  }
}
