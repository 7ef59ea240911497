package dev.facet.core;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.Objects;

/** Binds the configuration and the JSON mapper shared by all modules. */
public final class CoreModule extends AbstractModule {
  private final FacetConfig config;

  public CoreModule(FacetConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  protected void configure() {
    bind(FacetConfig.class).toInstance(config);
  }

  @Provides
  @Singleton
  ObjectMapper objectMapper() {
    return new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
  }
}
