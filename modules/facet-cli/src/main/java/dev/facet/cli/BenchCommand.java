package dev.facet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.Listing;
import dev.facet.embed.EmbeddingPipeline;
import dev.facet.bench.EncodeBenchmark;
import dev.facet.embed.ImageEncoder;
import dev.facet.embed.TextEncoder;
import dev.facet.engine.Facet;
import dev.facet.bench.IndexBenchmark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet bench}: the benchmarks behind the speed and quality targets. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks (JSON output).",
    subcommands = {BenchCommand.Encode.class, BenchCommand.Index.class, RecommendBenchCommand.class,
        DiversityBenchCommand.class, ReshootBenchCommand.class, LiveBenchCommand.class})
final class BenchCommand {
  private BenchCommand() {}

  static void writeJson(Object tree, Path json) throws IOException {
    String text = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(tree);
    System.out.println(text);
    if (json != null) {
      if (json.toAbsolutePath().getParent() != null) {
        Files.createDirectories(json.toAbsolutePath().getParent());
      }
      Files.writeString(json, text);
    }
  }

  /** Encoder raw forward rate vs the end-to-end pipeline rate. */
  @Command(name = "encode", mixinStandardHelpOptions = true,
      description = "Raw forward-pass rate of each encoder on pre-made tensors vs the pipeline rate from files, in one run.")
  static final class Encode implements Callable<Integer> {
    @Option(names = "--catalog", description = "Catalog whose photos and texts are used. Default: ${DEFAULT-VALUE}",
        defaultValue = "catalog-samples")
    Path catalog;

    @Option(names = "--items", description = "Items per round (rates: " + EncodeBenchmark.IMAGE_ROUNDS
        + " raw/pipeline round pairs for images, " + EncodeBenchmark.TEXT_ROUNDS + " for texts). Default: ${DEFAULT-VALUE}",
        defaultValue = "256")
    int items;

    @Mixin

    BenchOptions bench;

    @Override
    public Integer call() throws IOException {
      Path dir = resolveCatalog(catalog);
      Injector injector = Guice.createInjector(Facet.modules(bench.common.config(dir), bench.common.embed()));
      try (Facet facet = injector.getInstance(Facet.class)) {
        CatalogReader reader = facet.catalogReader();
        List<Listing> listings = new ArrayList<>();
        Path file = reader.locate(dir).listings();
        reader.readListings(file, listings::add, e -> { });
        Path base = file.toAbsolutePath().getParent();
        EmbeddingPipeline.Settings settings = injector.getInstance(EmbeddingPipeline.class).settings();
        try (ConsoleProgress progress = new ConsoleProgress("bench encode")) {
          progress.start(EncodeBenchmark.progressTotal(items, settings.batchSize()));
          EncodeBenchmark.Result result = EncodeBenchmark.run(listings, l -> CatalogReader.resolveImage(base, l.primaryImage()),
              injector.getInstance(ImageEncoder.class), injector.getInstance(TextEncoder.class), items,
              settings.batchSize(), settings.workers(), progress::advanceTo);
          progress.close();
          bench.write(result.toJsonTree());
        }
      }
      return 0;
    }
  }

  /** HNSW recall and latency against exact search on clustered synthetic vectors. */
  @Command(name = "index", mixinStandardHelpOptions = true,
      description = "KNN recall@10 vs brute force and p50/p99 latency (unfiltered and 1/10/50% filters), float vs int8, in one run.")
  static final class Index implements Callable<Integer> {
    @Option(names = "--items", description = "Vectors. Default: ${DEFAULT-VALUE}", defaultValue = "100000")
    int items;

    @Option(names = "--dims", description = "Dimensions. Default: ${DEFAULT-VALUE}", defaultValue = "512")
    int dims;

    @Option(names = "--json", description = "Where to write the JSON.")
    Path json;

    @Option(names = "--scratch", description = "Scratch directory for the benchmark indexes. Default: a temp dir")
    Path scratch;

    @Override
    public Integer call() throws IOException {
      Path dir = scratch != null ? scratch : Files.createTempDirectory("facet-bench-index");
      Map<String, Object> result = IndexBenchmark.run(items, dims, dir);
      writeJson(result, json);
      return 0;
    }
  }

  /** A catalog path given relative to the project root works from any directory. */
  static Path resolveCatalog(Path catalog) {
    if (Files.exists(catalog) || catalog.isAbsolute()) {
      return catalog;
    }
    return CommonOptions.facetHome().resolve(catalog);
  }
}
