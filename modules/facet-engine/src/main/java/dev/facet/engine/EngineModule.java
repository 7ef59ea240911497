package dev.facet.engine;

import com.google.inject.AbstractModule;
import dev.facet.index.IndexSettings;

/** Guice bindings of the engine: the facade and the services built on the lower modules. */
public final class EngineModule extends AbstractModule {
  /** Image, text and joint vector sizes of the default encoders and model. */
  static IndexSettings indexSettings() {
    return IndexSettings.defaults(512, 512, 64);
  }

  @Override
  protected void configure() {
    bind(EngineResources.class);
  }
}
