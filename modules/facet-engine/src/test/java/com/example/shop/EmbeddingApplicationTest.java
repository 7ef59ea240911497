package com.example.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Singleton;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.engine.Facet;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Facet installed into an application's own injector, as its Javadoc invites (outside Facet's packages on purpose). */
class EmbeddingApplicationTest {
  /** One of the application's own resources, a singleton of the same injector. */
  @Singleton
  static final class AuditLog implements AutoCloseable {
    boolean closed;

    @Override
    public void close() {
      closed = true;
    }
  }

  private static FacetConfig config(Path dir) {
    Path models = Path.of(System.getProperty("facet.project.root", "../..")).resolve("models");
    return new FacetConfig(dir.resolve("work"), models, dir, 2, Device.CPU, 42L);
  }

  @Test
  void closingFacetClosesItsOwnSingletonsAndLeavesTheApplicationsOpen(@TempDir Path dir) {
    List<Module> modules = new ArrayList<>(Facet.modules(config(dir)));
    modules.add(binder -> binder.bind(AuditLog.class));
    Injector injector = Guice.createInjector(modules);
    AuditLog log = injector.getInstance(AuditLog.class);
    Facet facet = injector.getInstance(Facet.class);
    IndexSettings settings = injector.getInstance(IndexSettings.class);
    assertThat(facet.index().size()).isZero(); // opens Facet's Lucene index, which holds the write lock
    facet.close();
    assertThat(log.closed).as("the application's singleton after Facet.close()").isFalse();
    // Facet's index was closed: its write lock is free for another writer.
    try (CatalogIndex again = CatalogIndex.open(dir.resolve("work").resolve("index"), settings)) {
      assertThat(again.size()).isZero();
    }
  }

  @Test
  void assemblingTheModulesOpensNoModel(@TempDir Path dir) {
    // The index settings ask a TorchScript file for its output size, but only when the index is first used.
    EmbedSettings missing = EmbedSettings.defaults().withImageModelFile(dir.resolve("no-such-model.pt"));
    assertThatCode(() -> Guice.createInjector(Facet.modules(config(dir), missing))).doesNotThrowAnyException();
  }
}
