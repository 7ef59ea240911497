package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.catalog.CatalogReader;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import dev.facet.embed.EmbedSettings;
import dev.facet.index.IndexedListing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code --image-model FILE} path end to end: a TorchScript image network given by path (the
 * tiny ResNet fixture that {@code src/models/make-test-resnet.py} builds, 128-d) sizes the index's
 * image field, ingests, and answers photo queries; the index then refuses an encoder of another size.
 */
class TorchScriptImageModelTest {
  @TempDir
  Path dir;

  private static Path tinyResNet() {
    Path file = EngineFixture.modelsDir().getParent()
        .resolve("modules/facet-embed/src/test/resources/torchscript/tiny-resnet.pt");
    assertThat(file).as("TorchScript fixture of facet-embed").isRegularFile();
    return file;
  }

  @Test
  void torchScriptFileSizesTheIndexAndServesPhotoQueries() throws Exception {
    Path catalog = EngineFixture.generateCatalog(dir.resolve("catalog"), 24, 10, 5L);
    FacetConfig config = EngineFixture.config(dir.resolve("work"), catalog);
    EmbedSettings torchScript = EmbedSettings.defaults().withImageModelFile(tinyResNet());
    String probe;
    try (Facet facet = Facet.open(config, torchScript)) {
      CatalogIngestor.Report report = facet.ingestor().ingest(catalog, false, CatalogIngestor.Progress.NONE);
      assertThat(report.rejected()).isZero();
      assertThat(facet.index().size()).isEqualTo(24);
      IndexedListing first = facet.index().get(facet.index().ids().stream().sorted().findFirst().orElseThrow())
          .orElseThrow();
      assertThat(first.image()).hasSize(128);
      assertThat(first.text()).hasSize(512);

      probe = first.id();
      Path photo = CatalogReader.resolveImage(catalog, first.listing().images().get(0));
      List<SearchHit> hits = facet.similar().byImage(Files.readAllBytes(photo), photo.toString(), 3, Filter.NONE);
      assertThat(hits).isNotEmpty();
      assertThat(hits.get(0).id()).as("a listing's own photo finds it first").isEqualTo(probe);
    }
    // The default encoder returns 512-d vectors: the 128-d index says so instead of mixing sizes.
    try (Facet facet = Facet.open(config)) {
      assertThatThrownBy(() -> facet.index().size())
          .isInstanceOf(FacetException.class)
          .hasMessageContaining("128")
          .hasMessageContaining("512");
    }
  }
}
