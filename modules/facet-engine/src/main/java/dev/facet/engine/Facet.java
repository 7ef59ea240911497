package dev.facet.engine;

import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provider;
import dev.facet.catalog.CatalogModule;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.CoreModule;
import dev.facet.core.FacetConfig;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexModule;
import java.util.List;

/**
 * The engine facade: one instance per work directory, safe for concurrent use. Build it with {@link
 * #open(FacetConfig)}, or install {@link #modules(FacetConfig)} into an application's own injector
 * and ask it for a {@code Facet}.
 *
 * <p>Heavy parts (encoders, index, model) are created on first use, so a command that only reads
 * the catalog never loads a neural network.
 */
public final class Facet implements AutoCloseable {
  private final FacetConfig config;
  private final Provider<CatalogReader> catalogReader;
  private final Provider<CatalogIndex> index;
  private final EngineResources resources;

  @Inject
  Facet(FacetConfig config, Provider<CatalogReader> catalogReader, Provider<CatalogIndex> index, EngineResources resources) {
    this.config = config;
    this.catalogReader = catalogReader;
    this.index = index;
    this.resources = resources;
  }

  /** Builds a Facet with its own injector. */
  public static Facet open(FacetConfig config) {
    Injector injector = Guice.createInjector(modules(config));
    return injector.getInstance(Facet.class);
  }

  /** Every Guice module Facet needs, for applications that build their own injector. */
  public static List<Module> modules(FacetConfig config) {
    return List.of(new CoreModule(config), new CatalogModule(), new IndexModule(EngineModule.indexSettings()), new EngineModule());
  }

  /** The configuration this instance was opened with. */
  public FacetConfig config() {
    return config;
  }

  /** Reads and validates catalog files. */
  public CatalogReader catalogReader() {
    return catalogReader.get();
  }

  /** The Lucene catalog index under {@code <work>/index}, opened on first use. */
  public CatalogIndex index() {
    return resources.track(index.get());
  }

  /** Closes the index, encoders and model this instance opened. */
  @Override
  public void close() {
    resources.close();
  }
}
