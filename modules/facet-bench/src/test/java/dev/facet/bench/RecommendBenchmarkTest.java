package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecommendBenchmarkTest {
  @Test
  void warmUpGoesOnWhileTheJitCompilesAndStopsOnceItIsQuiet() {
    assertThat(RecommendBenchmark.keepWarming(1, 0)).as("at least two rounds").isTrue();
    assertThat(RecommendBenchmark.keepWarming(2, 2500)).as("the compiler still busy").isTrue();
    assertThat(RecommendBenchmark.keepWarming(5, 99)).as("quiet").isFalse();
    assertThat(RecommendBenchmark.keepWarming(12, 2500)).as("bounded").isFalse();
  }
}
