package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class VectorMathTest {
  @Test
  void dotAccumulatesInDoubleAndRejectsOtherSizes() {
    assertThat(VectorMath.dot(new float[] {1, 2, 3}, new float[] {4, -5, 6})).isEqualTo(12.0);
    float[] big = new float[1000];
    java.util.Arrays.fill(big, 0.1f);
    assertThat(VectorMath.dot(big, big)).isCloseTo(1000 * (double) 0.1f * 0.1f, within(1e-9));
    assertThatThrownBy(() -> VectorMath.dot(new float[2], new float[3])).hasMessageContaining("2 vs 3");
  }

  @Test
  void normalizeScalesInPlaceAndLeavesZeroAlone() {
    float[] v = {3, 4};
    assertThat(VectorMath.normalize(v)).isSameAs(v).containsExactly(0.6f, 0.8f);
    assertThat(VectorMath.normalize(new float[] {0, 0})).containsExactly(0f, 0f);
  }

  @Test
  void normalizedRowsSplitsAndNormalisesEachRow() {
    float[][] rows = VectorMath.normalizedRows(new float[] {3, 4, 0, 2}, 2, 2);
    assertThat(rows[0]).containsExactly(0.6f, 0.8f);
    assertThat(rows[1]).containsExactly(0f, 1f);
    assertThatThrownBy(() -> VectorMath.normalizedRows(new float[3], 2, 2)).hasMessageContaining("2x2");
  }
}
