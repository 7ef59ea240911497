package dev.facet.cli;

import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.model.EvaluationReport;
import dev.facet.model.EvaluationRunner;
import dev.facet.model.RecBoleDatasetReader;
import dev.facet.model.RecDataset;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet eval}: the joint model against its ablations and the baselines, same split, full ranking. */
@Command(name = "eval", mixinStandardHelpOptions = true,
    description = "Evaluate the joint model, its ablations and the baselines (MostPopular, ItemKNN, BPR-MF, content KNN) "
        + "on one split with full ranking; writes JSON, a markdown table and a PNG chart.")
final class EvalCommand implements Callable<Integer> {
  static final class Source {
    @Option(names = "--catalog", description = "A Facet catalog (ingested into --work first if needed).")
    Path catalog;

    @Option(names = "--dataset", description = "A RecBole atomic-file dataset directory (.inter/.item/.user).")
    Path dataset;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--json", required = true, description = "Where to write eval.json (eval.md and eval.png go beside it).")
  Path json;

  @Option(names = "--split", description = "temporal (leave-last-out) or random (80/10/10). Default: ${DEFAULT-VALUE}",
      defaultValue = "temporal")
  String split;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    EvaluationReport report;
    try (TrainingProgress progress = new TrainingProgress()) {
      if (source.dataset != null) {
        RecDataset ds = RecBoleDatasetReader.read(source.dataset);
        EvaluationRunner.Options options = EvaluationRunner.Options.defaults().withSeed(common.seed).withSplit(split)
            .withThreads(common.config(null).threads()).withListener(progress);
        report = new EvaluationRunner(options).run(ds, json);
      } else {
        try (Facet facet = common.open(source.catalog); ConsoleProgress embed = new ConsoleProgress("embed")) {
          // Always ingest: unchanged listings are skipped by content hash, and a run killed
          // half-way is completed instead of being evaluated on part of the catalog.
          CatalogIngestor.Report ingested = facet.ingestor().ingest(source.catalog, false, embed);
          embed.close();
          System.out.println(ingested.summary());
          report = facet.training().evaluate(json, progress);
        }
      }
    }
    System.out.println(report.toMarkdown());
    System.out.println("written: " + json);
    return 0;
  }
}
