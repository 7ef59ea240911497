package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DeviceTest {
  @Test
  void autoTakesAGpuOnlyWhenThereIsOne() {
    assertThat(Device.AUTO.resolve(0)).isEqualTo(Device.CPU);
    assertThat(Device.AUTO.resolve(2)).isEqualTo(Device.GPU);
    assertThat(Device.CPU.resolve(2)).isEqualTo(Device.CPU);
    assertThat(Device.GPU.resolve(1)).isEqualTo(Device.GPU);
  }

  @Test
  void anExplicitGpuWithoutOneFailsWithTheOptionToUseInstead() {
    assertThatThrownBy(() -> Device.GPU.resolve(0)).isInstanceOf(FacetException.class)
        .hasMessageContaining("--device GPU").hasMessageContaining("AUTO");
  }
}
