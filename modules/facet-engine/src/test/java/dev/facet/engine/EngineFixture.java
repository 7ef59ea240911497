package dev.facet.engine;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.util.Modules;
import dev.facet.catalog.sample.SampleCatalogGenerator;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.model.JointModelConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small generated catalog and a Facet over it, with a short joint-model training schedule. */
final class EngineFixture {
  private EngineFixture() {}

  /** The project's models directory (descriptors and committed weights), or {@code -Dfacet.models.dir}. */
  static Path modelsDir() {
    String override = System.getProperty("facet.models.dir");
    if (override != null) {
      return Path.of(override);
    }
    Path root = Path.of(System.getProperty("facet.project.root", "../.."));
    Path models = root.resolve("models");
    if (!Files.isDirectory(models)) {
      throw new IllegalStateException("models/ not found under " + root.toAbsolutePath());
    }
    return models;
  }

  static Path generateCatalog(Path dir, int items, int users, long seed) {
    new SampleCatalogGenerator().generate(items, users, seed, dir);
    return dir;
  }

  static FacetConfig config(Path work, Path catalog) {
    return new FacetConfig(work, modelsDir(), catalog, 2, Device.CPU, 42L);
  }

  /** A Facet whose joint model trains for a few epochs only. */
  static Facet open(FacetConfig config, int epochs) {
    return open(config, EmbedSettings.defaults(), epochs);
  }

  /** As {@link #open(FacetConfig, int)} with explicit encoder settings. */
  static Facet open(FacetConfig config, EmbedSettings embed, int epochs) {
    Injector injector = Guice.createInjector(Modules.override(Facet.modules(config, embed)).with(binder ->
        binder.bind(JointModelConfig.class).toInstance(JointModelConfig.builder().seed(config.seed()).device(Device.CPU)
            .epochs(epochs).patience(epochs).build())));
    return injector.getInstance(Facet.class);
  }
}
