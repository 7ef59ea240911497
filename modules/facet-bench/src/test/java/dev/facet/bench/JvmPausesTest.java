package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JvmPausesTest {
  @Test
  void threadsOfOnePoolShareAGroup() {
    assertThat(JvmPauses.group("facet-hnsw-merge-3")).isEqualTo("facet-hnsw-merge");
    assertThat(JvmPauses.group("C2 CompilerThread0")).isEqualTo("C2 CompilerThread");
    assertThat(JvmPauses.group("Lucene Merge Thread #12")).isEqualTo("Lucene Merge Thread");
    assertThat(JvmPauses.group("facet-catalog-writer")).isEqualTo("facet-catalog-writer");
  }

  @Test
  void aBusyThreadShowsUpUnderItsGroup() throws InterruptedException {
    JvmPauses phase = JvmPauses.start();
    Thread busy = new Thread(() -> {
      long end = System.nanoTime() + 300_000_000L;
      double x = 0;
      while (System.nanoTime() < end) {
        x += Math.sqrt(x + 1);
      }
      if (x < 0) {
        throw new AssertionError();
      }
    }, "spinner-7");
    busy.start();
    // Read while it still runs: an ended thread's CPU time is gone with it.
    Thread.sleep(250);
    assertThat(phase.cpuSecondsByThreadGroup()).containsKey("spinner");
    busy.join();
    assertThat(phase.gcPauses()).isNotNegative();
  }
}
