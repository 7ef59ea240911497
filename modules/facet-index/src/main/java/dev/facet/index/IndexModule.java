package dev.facet.index;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import java.util.Objects;

/**
 * Guice bindings of the index module: the {@link IndexSettings} given at construction, the singleton {@link
 * CatalogIndex} opened at {@code FacetConfig.workDir()/index}, and {@link CatalogSearch} bound to that same
 * index. The index is {@link AutoCloseable}; whoever owns the injector closes it.
 */
public final class IndexModule extends AbstractModule {
  private final IndexSettings settings;

  public IndexModule(IndexSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Provides
  @Singleton
  IndexSettings indexSettings() {
    return settings;
  }

  @Provides
  @Singleton
  CatalogIndex catalogIndex(FacetConfig config, IndexSettings indexSettings) {
    return CatalogIndex.open(config.workDir().resolve("index"), indexSettings);
  }

  @Provides
  @Singleton
  CatalogSearch catalogSearch(CatalogIndex index) {
    return index;
  }
}
