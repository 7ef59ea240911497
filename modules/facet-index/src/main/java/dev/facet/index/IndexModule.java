package dev.facet.index;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import java.util.Objects;

/**
 * Guice bindings of the index module: the {@link IndexSettings} given at construction (or provided elsewhere), the singleton {@link
 * CatalogIndex} opened at {@code FacetConfig.workDir()/index}, and {@link CatalogSearch} bound to that same
 * index. The index is {@link AutoCloseable}; whoever owns the injector closes it.
 */
public final class IndexModule extends AbstractModule {
  /** Null when another module provides the {@link IndexSettings} (the engine makes them from the bound encoders). */
  private final IndexSettings settings;

  /** The index with fixed settings. */
  public IndexModule(IndexSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** The index with the {@link IndexSettings} another module of the injector provides. */
  public IndexModule() {
    this.settings = null;
  }

  @Override
  protected void configure() {
    if (settings != null) {
      bind(IndexSettings.class).toInstance(settings);
    }
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
