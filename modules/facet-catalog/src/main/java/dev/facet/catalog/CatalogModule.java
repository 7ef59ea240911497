package dev.facet.catalog;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.catalog.image.ImagePipeline;

/**
 * Guice bindings of the catalog module: one {@link ImagePipeline} at the encoders' input size
 * ({@value ImagePipeline#DEFAULT_SIZE}) and the {@link CatalogReader} facade, both singletons.
 */
public final class CatalogModule extends AbstractModule {
  @Provides
  @Singleton
  ImagePipeline imagePipeline() {
    return new ImagePipeline(ImagePipeline.DEFAULT_SIZE);
  }

  @Provides
  @Singleton
  CatalogReader catalogReader(ImagePipeline images) {
    return new CatalogReader(images);
  }
}
