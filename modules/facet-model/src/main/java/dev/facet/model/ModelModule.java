package dev.facet.model;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;

/**
 * Guice bindings of the model module: the default joint-model configuration (seed and device from
 * {@link FacetConfig}) and the evaluation runner built on it.
 */
public final class ModelModule extends AbstractModule {
  @Provides
  @Singleton
  JointModelConfig jointModelConfig(FacetConfig config) {
    return JointModelConfig.builder().seed(config.seed()).device(config.device()).build();
  }

  @Provides
  EvaluationRunner evaluationRunner(FacetConfig config, JointModelConfig joint) {
    return new EvaluationRunner(EvaluationRunner.Options.defaults().withJoint(joint).withSeed(config.seed())
        .withThreads(config.threads()));
  }
}
