package dev.facet.cli;

import dev.facet.bench.DiversityBenchmark;
import dev.facet.engine.Facet;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet bench diversity}: NDCG@10 and intra-list image diversity per MMR lambda. */
@Command(name = "diversity", mixinStandardHelpOptions = true,
    description = "NDCG@10 on each user's held-out last event and intra-list image diversity of the top 10, per MMR lambda.")
final class DiversityBenchCommand implements Callable<Integer> {
  @Option(names = "--lambdas", split = ",", description = "MMR lambdas. Default: ${DEFAULT-VALUE}",
      defaultValue = "1.0,0.95,0.9,0.85,0.8,0.7,0.5")
  List<Double> lambdas;

  @Mixin

  BenchOptions bench;

  @Override
  public Integer call() throws IOException {
    try (Facet facet = bench.common.open(null)) {
      bench.write(DiversityBenchmark.run(facet, lambdas));
    }
    return 0;
  }
}
