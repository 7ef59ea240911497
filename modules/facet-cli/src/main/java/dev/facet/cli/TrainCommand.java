package dev.facet.cli;

import dev.facet.engine.Facet;
import dev.facet.engine.UserEraser;
import dev.facet.engine.ModelTraining;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet train}: trains the joint model on the ingested catalog. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Train the joint user/item/interaction model on the ingested catalog and write item vectors to the index.")
final class TrainCommand implements Callable<Integer> {
  @Option(names = "--catalog", description = "Catalog directory (default: the one last ingested into --work).")
  Path catalog;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    try (Facet facet = common.open(catalog); TrainingProgress progress = new TrainingProgress()) {
      UserEraser.of(facet).applyRetention();
      ModelTraining.Result result = facet.training().train(progress);
      progress.close();
      System.out.printf(Locale.ROOT, "trained: %s; %d item vectors written to the index%n", result.stats(),
          result.itemVectorsWritten());
      return 0;
    }
  }
}
