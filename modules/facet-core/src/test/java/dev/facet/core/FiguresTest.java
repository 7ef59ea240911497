package dev.facet.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FiguresTest {
  @Test
  void percentileIsNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Figures.percentile(sorted, 0.5)).isEqualTo(50);
    assertThat(Figures.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(Figures.percentile(sorted, 0)).isEqualTo(1);
    assertThat(Figures.percentile(new long[] {5}, 0.99)).isEqualTo(5);
    assertThatThrownBy(() -> Figures.percentile(new long[0], 0.5)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundIsHalfUpAsPrintfAndKeepsNaN() {
    assertThat(Figures.round(0.12345, 4)).isEqualTo(Double.parseDouble(String.format(java.util.Locale.ROOT, "%.4f", 0.12345)));
    assertThat(Figures.round(2.25, 1)).isEqualTo(2.3);
    assertThat(Figures.round(-1.5, 0)).isEqualTo(-2.0);
    assertThat(Figures.round(Double.NaN, 3)).isNaN();
  }
}
