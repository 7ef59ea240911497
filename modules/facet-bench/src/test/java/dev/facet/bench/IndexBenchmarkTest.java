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
    Map<String, Object> sel = (Map<String, Object>) r.get("selectivity");
    assertThat((Double) sel.get("filter_1pct")).isBetween(0.003, 0.03);
    assertThat((Double) sel.get("filter_10pct")).isBetween(0.07, 0.13);
    assertThat((Double) sel.get("filter_50pct")).isBetween(0.45, 0.55);
  }
}
