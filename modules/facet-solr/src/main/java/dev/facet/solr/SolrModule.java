package dev.facet.solr;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.index.CatalogSearch;
import dev.facet.index.IndexSettings;
import java.util.Objects;

/**
 * Binds {@link CatalogSearch} to a SolrCloud collection. This is the configuration switch: install it
 * over the embedded binding with {@code Modules.override(indexModule).with(new SolrModule(settings))}
 * (or {@link #overrideIfConfigured}), and everything that searches through {@link CatalogSearch}
 * ({@code SimilarItems}, search, hybrid) runs against SolrCloud unchanged. The injector's owner closes
 * the {@link SolrCatalogSearch}.
 */
public final class SolrModule extends AbstractModule {
  private final SolrSettings settings;

  public SolrModule(SolrSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * {@code base} with {@link CatalogSearch} re-bound to SolrCloud when {@code -Dfacet.search.backend=solr}
   * (see {@link SolrSettings#fromSystemProperties()}), else {@code base} unchanged.
   */
  public static com.google.inject.Module overrideIfConfigured(com.google.inject.Module base) {
    SolrSettings s = SolrSettings.fromSystemProperties();
    return s == null ? base : com.google.inject.util.Modules.override(base).with(new SolrModule(s));
  }

  @Override
  protected void configure() {
    bind(SolrSettings.class).toInstance(settings);
  }

  @Provides
  @Singleton
  SolrCatalogSearch solrCatalogSearch(IndexSettings dims) {
    return SolrCatalogSearch.connect(settings, dims);
  }

  @Provides
  @Singleton
  CatalogSearch catalogSearch(SolrCatalogSearch solr) {
    return solr;
  }
}
