package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.core.CoreModule;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ModelModuleTest {
  @Test
  void bindsConfigFromFacetConfig() {
    FacetConfig config = FacetConfig.defaults(Path.of("/tmp/facet-model-test")).withSeed(99).withDevice(Device.CPU)
        .withThreads(1);
    Injector injector = Guice.createInjector(new CoreModule(config), new ModelModule());
    JointModelConfig joint = injector.getInstance(JointModelConfig.class);
    assertThat(joint.seed()).isEqualTo(99);
    assertThat(joint.device()).isEqualTo(Device.CPU);
    assertThat(injector.getInstance(JointModelConfig.class)).isSameAs(joint);
    assertThat(injector.getInstance(EvaluationRunner.class)).isNotNull();
  }

  @Test
  void configBuilderRejectsBadValues() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JointModelConfig.builder().dropout(1f).build())
        .hasMessageContaining("dropouts");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> JointModelConfig.builder().batchSize(1).build())
        .hasMessageContaining("batchSize");
    JointModelConfig c = JointModelConfig.builder().dim(8).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
  }
}
