package dev.facet.embed;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.catalog.image.ImagePipeline;
import dev.facet.core.FacetConfig;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Binds the encoders and the extraction pipeline, built from {@link FacetConfig}: descriptors come
 * from {@code modelsDir()}, classpath weights are unpacked under {@code workDir()/model-cache}, the
 * device follows {@code device()} and the pipeline gets {@code threads()} decode workers.
 *
 * <p>The encoders are singletons holding native memory; whoever owns the injector closes them.
 */
public final class EmbedModule extends AbstractModule {
  private final EmbedSettings settings;

  public EmbedModule() {
    this(EmbedSettings.defaults());
  }

  public EmbedModule(EmbedSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  @Override
  protected void configure() {
    bind(EmbedSettings.class).toInstance(settings);
  }

  /** Where classpath model weights are unpacked for {@code config}. */
  public static Path cacheDir(FacetConfig config) {
    return config.workDir().resolve("model-cache");
  }

  @Provides
  @Singleton
  TextEncoder textEncoder(FacetConfig config) {
    return BertTextEncoder.open(ModelDescriptorReader.find(config.modelsDir(), settings.textModelId()), cacheDir(config), config.device());
  }

  @Provides
  @Singleton
  ImageEncoder imageEncoder(FacetConfig config) {
    if (settings.imageModelFile() != null) {
      return TorchScriptImageEncoder.open(settings.imageModelFile(), ImagePipeline.DEFAULT_SIZE, config.device());
    }
    return ImageEncoders.open(ModelDescriptorReader.find(config.modelsDir(), settings.imageModelId()), config.device());
  }

  @Provides
  @Singleton
  EmbeddingPipeline embeddingPipeline(ImageEncoder image, TextEncoder text, FacetConfig config) {
    int batch = settings.batchSize();
    return new EmbeddingPipeline(image, text, new EmbeddingPipeline.Settings(config.threads(), batch, 4 * batch));
  }
}
