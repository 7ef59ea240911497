package dev.facet.cli;

import dev.facet.engine.Facet;
import dev.facet.bench.LiveBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code facet bench live}: serving latency while the catalog and behaviour change underneath. */
@Command(name = "live", mixinStandardHelpOptions = true,
    description = "Recommend + photo-search traffic from T threads at a fixed rate, first alone, then while a batch of listing edits "
        + "(a share of photo changes, the rest price/stock edits) is upserted and events arrive: recommend p99 under load "
        + "over idle p99 (p99_ratio), ingest listings/s under load vs alone, errors, and whether the index holds exactly "
        + "what was sent (index_matches).")
final class LiveBenchCommand implements Callable<Integer> {
  @Option(names = "--items", description = "Listings in the index. Default: ${DEFAULT-VALUE}", defaultValue = "100000")
  int items;

  @Option(names = "--threads", description = "Traffic threads. Default: ${DEFAULT-VALUE}", defaultValue = "4")
  int threads;

  @Option(names = "--edits", description = "Listings in the upserted batch. Default: ${DEFAULT-VALUE}", defaultValue = "10000")
  int edits;

  @Option(names = "--photo-share", description = "Share of the edits that change the photo. Default: ${DEFAULT-VALUE}",
      defaultValue = "0.1")
  double photoShare;

  @Option(names = "--events", description = "Events arriving during the update. Default: ${DEFAULT-VALUE}",
      defaultValue = "50000")
  int events;

  @Option(names = "--rate", description = "Read traffic, calls per second of all threads together (paced, so a "
      + "lower-priority update can run beside it). Default: ${DEFAULT-VALUE}", defaultValue = "100")
  double rate;

  @Option(names = "--photo-rate", description = "Photo searches per second within that traffic. Default: ${DEFAULT-VALUE}",
      defaultValue = "0.5")
  double photoRate;

  @Option(names = "--catalog", description = "Base catalog (trained on first if --work has no model). Default: ${DEFAULT-VALUE}",
      defaultValue = "catalog-samples")
  Path catalog;

  @Option(names = "--work", description = "Work directory with (or to receive) the trained model. Default: ${DEFAULT-VALUE}",
      defaultValue = "work")
  Path work;

  @Option(names = "--json", description = "Where to write the JSON.")
  Path json;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Path dir = BenchCommand.resolveCatalog(catalog).toAbsolutePath().normalize();
    try (Facet facet = CommonOptions.of(work, 42).open(dir)) {
      try (ConsoleProgress p = new ConsoleProgress("embed")) {
        System.out.println(facet.ingestor().ingest(dir, false, p).summary());
      }
      if (!facet.training().hasModel()) {
        try (TrainingProgress p = new TrainingProgress()) {
          facet.training().train(p);
        }
      }
      Path scratch = Files.createTempDirectory("facet-bench-live");
      Map<String, Object> out = LiveBenchmark.run(facet, dir,
          new LiveBenchmark.Options(items, threads, edits, photoShare, events, rate, photoRate), scratch);
      BenchCommand.writeJson(out, json);
      return Boolean.TRUE.equals(out.get("index_matches")) && Long.valueOf(0).equals(out.get("errors")) ? 0 : 1;
    }
  }
}
