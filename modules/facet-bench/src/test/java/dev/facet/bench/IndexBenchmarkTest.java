package dev.facet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.index.VectorFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexBenchmarkTest {
  @TempDir Path dir;

  @Test
  @SuppressWarnings("unchecked")
  void smallRunReportsRecallLatencyAndSizesForEachVariant() throws Exception {
    IndexBenchmark.Config c = new IndexBenchmark.Config(3000, 32, 30, 30, 7L, dir,
        List.of(VectorFormat.FLOAT, VectorFormat.INT8), 16, 100, 5);
    Map<String, Object> r = IndexBenchmark.run(c);
    String json = new ObjectMapper().writeValueAsString(r);
    // The headline keys come first so that a depth-first scan meets them before the per-variant ones.
    assertThat(json).startsWith("{\"recall@10\":");
    assertThat(json.indexOf("\"p99_ms\"")).isLessThan(json.indexOf("\"variants\""));
    assertThat(r).containsEntry("queries", 30).containsEntry("timed_passes", IndexBenchmark.TIMED_PASSES);
    Map<String, Object> variants = (Map<String, Object>) r.get("variants");
    assertThat(variants).containsOnlyKeys("float", "int8");
    double worst = 1;
    for (Object v : variants.values()) {
      Map<String, Object> m = (Map<String, Object>) v;
      assertThat((Long) m.get("raw_vector_bytes")).isEqualTo(3000L * 32 * 4);
      assertThat((Long) m.get("bytes")).isGreaterThan(3000L * 32);
      assertThat((Integer) m.get("segments")).isEqualTo(1);
      for (String sel : List.of("unfiltered", "filter_1pct", "filter_10pct", "filter_50pct")) {
        Map<String, Object> s = (Map<String, Object>) m.get(sel);
        assertThat((Double) s.get("recall@10")).as(sel).isBetween(0.8, 1.0);
        assertThat((Double) s.get("p99_ms")).isGreaterThanOrEqualTo((Double) s.get("p50_ms")).isPositive();
      }
      worst = Math.min(worst, (Double) ((Map<String, Object>) m.get("unfiltered")).get("recall@10"));
    }
    assertThat((Double) r.get("recall@10")).isLessThanOrEqualTo(
        (Double) ((Map<String, Object>) ((Map<String, Object>) variants.get("float")).get("unfiltered")).get("recall@10"));
    assertRatioStorageSweepAndPaths(r, variants);
    Map<String, Object> sel = (Map<String, Object>) r.get("selectivity");
    assertThat((Double) sel.get("filter_1pct")).isBetween(0.003, 0.03);
    assertThat((Double) sel.get("filter_10pct")).isBetween(0.07, 0.13);
    assertThat((Double) sel.get("filter_50pct")).isBetween(0.45, 0.55);
  }

  @SuppressWarnings("unchecked")
  private static void assertRatioStorageSweepAndPaths(Map<String, Object> r, Map<String, Object> variants) {
    Map<String, Object> f = (Map<String, Object>) variants.get("float");
    Map<String, Object> i8 = (Map<String, Object>) variants.get("int8");
    double ratio = (Double) ((Map<String, Object>) f.get("filter_1pct")).get("p99_ms")
        / (Double) ((Map<String, Object>) f.get("unfiltered")).get("p99_ms");
    assertThat((Double) r.get("filter_1pct_to_unfiltered_p99")).isCloseTo(ratio, org.assertj.core.data.Offset.offset(0.01));
    assertThat(r).containsKey("load_average");
    // the float graph searches the raw floats; the int8 one its quantized copy, a quarter of their size
    assertThat((Long) f.get("search_memory_bytes")).isGreaterThanOrEqualTo((Long) f.get("float_vector_bytes"));
    assertThat((Long) i8.get("quantized_vector_bytes")).isPositive().isLessThan((Long) i8.get("float_vector_bytes"));
    assertThat((Long) i8.get("search_memory_bytes")).isLessThan((Long) f.get("search_memory_bytes"));
    assertThat((Map<String, Object>) f.get("over_fetch_sweep")).containsOnlyKeys("over_fetch_10", "over_fetch_20");
    assertThat(i8).doesNotContainKey("over_fetch_sweep");
    // 1% of 3000 documents is far below the exact-search threshold: every filtered search scores exactly
    Map<String, Object> paths = (Map<String, Object>) ((Map<String, Object>) f.get("filter_1pct")).get("knn_paths");
    assertThat((Long) paths.get("exact_by_cost")).isEqualTo(IndexBenchmark.TIMED_PASSES * 30L);
    assertThat((Long) paths.get("graph_searches")).isZero();
  }
}
