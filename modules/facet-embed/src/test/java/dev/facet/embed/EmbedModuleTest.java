package dev.facet.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import dev.facet.core.CoreModule;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.core.Listing;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedModuleTest {
  @Test
  void providesSingletonEncodersAndPipelineFromConfig(@TempDir Path dir) throws Exception {
    Path models = Files.createDirectories(dir.resolve("models"));
    Files.copy(TestModels.modelsDir().resolve("bge-small-zh-v1.5.json"), models.resolve("bge-small-zh-v1.5.json"));
    FacetConfig config = new FacetConfig(dir.resolve("work"), models, null, 2, Device.AUTO, 1L);
    EmbedSettings settings = EmbedSettings.defaults()
        .withImageModelFile(TorchScriptImageEncoderTest.fixture("tiny-resnet.pt")).withBatchSize(4);
    Injector injector = Guice.createInjector(new CoreModule(config), new EmbedModule(settings));
    TextEncoder text = injector.getInstance(TextEncoder.class);
    ImageEncoder image = injector.getInstance(ImageEncoder.class);
    try {
      assertThat(injector.getInstance(TextEncoder.class)).isSameAs(text);
      assertThat(image).isInstanceOf(TorchScriptImageEncoder.class);
      // Classpath weights were unpacked under the configured work dir.
      assertThat(EmbedModule.cacheDir(config).resolve("bge-small-zh-v1.5")).isDirectory();
      EmbeddingPipeline pipeline = injector.getInstance(EmbeddingPipeline.class);
      assertThat(pipeline.settings().workers()).isEqualTo(2);
      assertThat(pipeline.settings().batchSize()).isEqualTo(4);
      List<Listing> listings = SyntheticCatalog.write(dir.resolve("catalog"), 6, 5L);
      List<ListingEmbedding> out = new ArrayList<>();
      pipeline.run(listings, EmbeddingPipeline.imagesUnder(dir.resolve("catalog")), out::add, e -> { }, n -> { });
      assertThat(out).hasSize(6).allSatisfy(e -> {
        assertThat(e.image()).hasSize(128);
        assertThat(e.text()).hasSize(512);
      });
    } finally {
      text.close();
      image.close();
    }
  }

  @Test
  void missingDefaultImageModelNamesTheTrainCommand(@TempDir Path dir) {
    FacetConfig config = new FacetConfig(dir.resolve("work"), dir.resolve("models"), null, 1, Device.CPU, 1L);
    Injector injector = Guice.createInjector(new CoreModule(config), new EmbedModule());
    assertThatThrownBy(() -> injector.getInstance(ImageEncoder.class))
        .isInstanceOf(ProvisionException.class)
        .hasMessageContaining("./facet train-encoder --catalog catalog-samples");
  }
}
