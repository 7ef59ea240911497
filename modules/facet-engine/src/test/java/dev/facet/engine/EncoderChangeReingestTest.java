package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.facet.core.FacetConfig;
import dev.facet.core.Filter;
import dev.facet.core.Reason;
import dev.facet.embed.EmbedSettings;
import dev.facet.model.TrainingListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unchanged listings are skipped only while the encoders stay the same: after an encoder change
 * every listing is embedded again (and the joint model trained on the old vectors is retired), and
 * after that the skipping resumes.
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
      for (Path f : files.toList()) {
        if (Files.isRegularFile(f)) {
          Files.copy(f, models.resolve(f.getFileName()));
        } else if (Files.isDirectory(f)) {
          // Weight directories (the default fused model reads two of them) are linked, not copied.
          Files.createSymbolicLink(models.resolve(f.getFileName()), f.toAbsolutePath());
        }
      }
    }
    String descriptor = Files.readString(models.resolve("image-resnet-catalog.json"))
        .replace("\"id\": \"image-resnet-catalog\"", "\"id\": \"image-resnet-retrained\"");
    Files.writeString(models.resolve("image-resnet-retrained.json"), descriptor);

    Path catalog = EngineFixture.generateCatalog(dir.resolve("catalog"), 12, 4, 3L);
    FacetConfig base = EngineFixture.config(dir.resolve("work"), catalog);
    FacetConfig config = new FacetConfig(base.workDir(), models, catalog, base.threads(), base.device(), base.seed());
    Path model = ModelHolder.modelFile(config);
    try (Facet facet = EngineFixture.open(config, 1)) {
      assertThat(facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE).upserted()).isEqualTo(12);
      CatalogIngestor.Report same = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(same.unchanged()).isEqualTo(12);
      assertThat(same.retiredModel()).isNull();
      facet.training().train(TrainingListener.NONE);
      assertThat(model).exists();
    }
    EmbedSettings retrained = EmbedSettings.defaults().withImageModelId("image-resnet-retrained");
    try (Facet facet = EngineFixture.open(config, retrained, 1)) {
      CatalogIngestor.Report again = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(again.upserted()).as("every listing re-embedded by the new encoder").isEqualTo(12);
      assertThat(again.unchanged()).isZero();
      // The model was trained on the old encoder's vectors: out of service, said so, kept aside.
      assertThat(again.retiredModel()).isEqualTo(model.resolveSibling("joint.model.retired")).exists();
      assertThat(model).doesNotExist();
      assertThat(again.summary()).contains("facet train");
      assertThat(facet.training().hasModel()).isFalse();
      // No model serves: recommendations come from the model-free fallbacks, and say so.
      assertThat(facet.recommend("u-0001", 3, Filter.NONE)).isNotEmpty()
          .allSatisfy(r -> assertThat(r.reasons()).extracting(Reason::kind)
              .isNotEmpty().isSubsetOf(Reason.Kind.CONTENT, Reason.Kind.POPULAR, Reason.Kind.CATALOG));
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
