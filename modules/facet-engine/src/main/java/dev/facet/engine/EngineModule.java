package dev.facet.engine;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Scopes;
import com.google.inject.Singleton;
import com.google.inject.matcher.Matchers;
import com.google.inject.spi.ProvisionListener;
import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.ModelDescriptorReader;
import dev.facet.embed.TorchScriptImageEncoder;
import dev.facet.index.IndexSettings;
import dev.facet.model.JointModelConfig;

/**
 * Guice bindings of the engine: the facade's services, serving and index settings, and a provision
 * listener that records Facet's own singleton {@link AutoCloseable}s (index, encoders, model) so {@link
 * Facet#close()} releases them. An application that installs {@link Facet#modules} into its own injector
 * keeps its singletons: only those bound to a Facet type ({@code dev.facet.*}) are tracked.
 */
public final class EngineModule extends AbstractModule {
  private final EngineResources resources = new EngineResources();

  /**
   * Index settings sized for the bound encoders and joint model, made when the index (or another
   * backend) is first asked for, not while the modules are assembled. Output sizes come from the
   * descriptors, so opening the index loads no model; a TorchScript file given by path has no
   * descriptor, so it is asked once for the size of what it returns.
   */
  @Provides
  @Singleton
  IndexSettings indexSettings(FacetConfig config, EmbedSettings embed, JointModelConfig joint) {
    return settingsFor(config, embed, joint.vectorDim());
  }

  static IndexSettings settingsFor(FacetConfig config, EmbedSettings embed, int jointDims) {
    int image = embed.imageModelFile() != null
        ? TorchScriptImageEncoder.outputDim(embed.imageModelFile(), config.device())
        : descriptorDim(config, embed.imageModelId(), DEFAULT_IMAGE_DIMS);
    int text = descriptorDim(config, embed.textModelId(), DEFAULT_TEXT_DIMS);
    return IndexSettings.defaults(image, text, jointDims);
  }

  private static final int DEFAULT_IMAGE_DIMS = 512;
  private static final int DEFAULT_TEXT_DIMS = 512;

  private static int descriptorDim(FacetConfig config, String id, int fallback) {
    try {
      return ModelDescriptorReader.find(config.modelsDir(), id).outputDim();
    } catch (RuntimeException e) {
      // No descriptor yet (e.g. the image encoder is not trained): the encoder itself will fail
      // with the instructions; searches that need no encoder still work.
      return fallback;
    }
  }

  @Override
  protected void configure() {
    bind(EngineResources.class).toInstance(resources);
    bindListener(Matchers.any(), new ProvisionListener() {
      @Override
      public <T> void onProvision(ProvisionInvocation<T> invocation) {
        T value = invocation.provision();
        if (value instanceof AutoCloseable closeable && !(value instanceof Facet)
            && Scopes.isSingleton(invocation.getBinding()) && facetOwned(invocation.getBinding())) {
          resources.track(closeable);
        }
      }
    });
  }

  /** Bound to one of Facet's types: the application's own singletons are the application's to close. */
  private static boolean facetOwned(com.google.inject.Binding<?> binding) {
    return binding.getKey().getTypeLiteral().getRawType().getPackageName().startsWith("dev.facet.");
  }

  @Provides
  @Singleton
  RecommendSettings recommendSettings(FacetConfig config) {
    return RecommendSettings.forCores(config.threads());
  }
}
