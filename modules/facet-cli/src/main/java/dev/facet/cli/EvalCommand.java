package dev.facet.cli;

import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.model.DataSplit;
import dev.facet.model.EvalProtocol;
import dev.facet.model.EvaluationReport;
import dev.facet.model.EvaluationRunner;
import dev.facet.model.RecBoleDatasetReader;
import dev.facet.model.RecDataset;
import java.nio.file.Path;
import java.util.List;
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

    @Option(names = "--dataset", description = "A RecBole or MMRec atomic-file dataset: a directory (.inter, optional "
        + ".item/.user, MMRec's image_feat.npy/text_feat.npy) or its .inter file.")
    Path dataset;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(names = "--json", required = true, description = "Where to write eval.json (eval.md and eval.png go beside it).")
  Path json;

  @Option(names = "--split", description = "preset (the dataset's x_label column: 0 train, 1 valid, 2 test), "
      + "temporal (leave-last-out) or random (80/10/10). Default: preset when the dataset has x_label, else temporal; "
      + "a catalog is split temporal.")
  String split;

  @Option(names = "--protocol", description = "facet (test users' history = training + validation, all of it excluded "
      + "from the ranking) or mmrec (history = training only, only training items excluded, as MMRec ranks). "
      + "Default: mmrec for a preset split, else facet.")
  String protocol;

  @Option(names = "--only", split = ",", paramLabel = "MODEL", description = "Run only these models (comma-separated): "
      + "joint, popular, itemknn, bpr-mf, content, oracle, joint-no-image, joint-no-text, joint-no-id, joint-no-aux. "
      + "Default: all. (--models names the models directory.)")
  List<String> only;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    List<String> models = only == null ? List.of() : only;
    EvaluationReport report;
    try (TrainingProgress progress = new TrainingProgress()) {
      if (source.dataset != null) {
        EvaluationRunner.Options options = EvaluationRunner.Options.defaults().withModels(models).withSeed(common.seed)
            .withThreads(common.config(null).threads()).withListener(progress);
        RecDataset ds = RecBoleDatasetReader.read(source.dataset);
        DataSplit data = RecBoleDatasetReader.split(source.dataset, ds, split, common.seed);
        EvalProtocol ranking = protocol == null ? EvalProtocol.defaultFor(data) : EvalProtocol.of(protocol);
        report = new EvaluationRunner(options).run(ds, data, ranking, json);
      } else {
        report = evaluateCatalog(models, progress);
      }
    }
    System.out.println(report.toMarkdown());
    System.out.println("written: " + json);
    return 0;
  }

  private EvaluationReport evaluateCatalog(List<String> models, TrainingProgress progress) {
    // The engine evaluates a catalog on the temporal split under Facet's protocol only.
    if ((split != null && !split.equals("temporal")) || (protocol != null && !protocol.equals("facet"))) {
      throw new IllegalArgumentException("--split " + split + " / --protocol " + protocol + " need --dataset: "
          + "a catalog is evaluated on the temporal split under the facet protocol");
    }
    try (Facet facet = common.open(source.catalog); ConsoleProgress embed = new ConsoleProgress("embed")) {
      // Always ingest: unchanged listings are skipped by content hash, and a run killed
      // half-way is completed instead of being evaluated on part of the catalog.
      CatalogIngestor.Report ingested = facet.ingestor().ingest(source.catalog, false, embed);
      embed.close();
      System.out.println(ingested.summary());
      return facet.training().evaluate(json, models, progress);
    }
  }
}
