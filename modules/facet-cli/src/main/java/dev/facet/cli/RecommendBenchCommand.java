package dev.facet.cli;

import dev.facet.engine.Facet;
import dev.facet.bench.RecommendBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facet bench recommend}: recommendation latency at catalog scale, beside brute-force scoring. */
@Command(name = "recommend", mixinStandardHelpOptions = true,
    description = "Recommendation p50/p99 latency and calls/s with T threads on an index grown to N items "
        + "(the sample catalog plus synthetic listings with content-tower vectors), with brute-force scoring alongside.")
final class RecommendBenchCommand implements Callable<Integer> {
  @Option(names = "--items", split = ",", description = "Catalog sizes to measure. Default: ${DEFAULT-VALUE}",
      defaultValue = "10000,100000")
  List<Integer> items;

  @Option(names = "--threads", description = "Concurrent callers. Default: ${DEFAULT-VALUE}", defaultValue = "4")
  int threads;

  @Option(names = "--calls", description = "Measured calls per size (after warm-up). Default: ${DEFAULT-VALUE}",
      defaultValue = "4000")
  int calls;

  @Option(names = "--catalog", description = "Base catalog (trained on first if --work has no model). Default: ${DEFAULT-VALUE}",
      defaultValue = "catalog-samples")
  Path catalog;

  @Option(names = "--json", description = "Where to write the JSON.")
  Path json;

  @Option(names = "--work", description = "Work directory with (or to receive) the trained model. Default: ${DEFAULT-VALUE}",
      defaultValue = "work")
  Path work;

  @Option(names = "--seed", description = "Seed. Default: ${DEFAULT-VALUE}", defaultValue = "42")
  long seed;

  @Override
  public Integer call() throws IOException {
    Path dir = BenchCommand.resolveCatalog(catalog);
    CommonOptions common = CommonOptions.of(work, seed);
    try (Facet facet = common.open(dir)) {
      try (ConsoleProgress p = new ConsoleProgress("embed")) {
        System.out.println(facet.ingestor().ingest(dir, false, p).summary());
      }
      if (!facet.training().hasModel()) {
        try (TrainingProgress p = new TrainingProgress()) {
          facet.training().train(p);
        }
      }
      Map<String, Object> out = new LinkedHashMap<>();
      Path scratch = Files.createTempDirectory("facet-bench-recommend");
      for (int n : items) {
        RecommendBenchmark.Result r = RecommendBenchmark.run(facet, dir, n, threads, calls, scratch.resolve("n" + n));
        out.put("items_" + n, r.toJsonTree());
      }
      // Headline figures (the largest size) first: checkers read the first p99_ms they meet.
      Map<String, Object> ordered = new LinkedHashMap<>();
      Object largest = out.get("items_" + items.stream().mapToInt(Integer::intValue).max().orElseThrow());
      if (largest instanceof Map<?, ?> m) {
        ordered.put("p50_ms", m.get("p50_ms"));
        ordered.put("p99_ms", m.get("p99_ms"));
        ordered.put("calls_per_s", m.get("calls_per_s"));
      }
      ordered.put("threads", threads);
      ordered.putAll(out);
      BenchCommand.writeJson(ordered, json);
    }
    return 0;
  }
}
