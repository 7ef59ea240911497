package dev.facet.engine;

import com.google.inject.Guice;
import com.google.inject.Injector;
import dev.facet.core.Device;
import dev.facet.core.FacetConfig;
import dev.facet.model.EvaluationReport;
import dev.facet.model.EvaluationRunner;
import dev.facet.model.JointModelConfig;
import dev.facet.model.LossType;
import dev.facet.model.RecDataset;
import dev.facet.model.TrainingListener;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Measurement helper (test scope) for quick experiments on an already ingested work directory:
 * {@code CatalogEvalMain WORK_DIR OUT.json models|all seeds key=value...}. Builds the dataset the way
 * {@code facet eval --catalog} does (real image and text vectors) and runs the selected models once per
 * seed (comma-separated), printing each run's table and, for several seeds, the mean of every model.
 */
public final class CatalogEvalMain {
  private CatalogEvalMain() {}

  public static void main(String[] args) {
    Path work = Path.of(args[0]);
    FacetConfig defaults = FacetConfig.defaults(Path.of("."));
    FacetConfig config = new FacetConfig(work, defaults.modelsDir(), null, defaults.threads(), Device.CPU, 42L);
    Injector injector = Guice.createInjector(Facet.modules(config));
    RecDataset ds = injector.getInstance(CatalogDatasets.class).build();
    List<String> models = args[2].equals("all") ? List.of() : Arrays.asList(args[2].split(","));
    long[] seeds = Arrays.stream(args[3].split(",")).mapToLong(Long::parseLong).toArray();
    JointModelConfig.Builder b = JointModelConfig.builder().device(Device.CPU);
    for (int i = 4; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      String v = kv[1];
      switch (kv[0]) {
        case "epochs" -> b.epochs(Integer.parseInt(v));
        case "dim" -> b.dim(Integer.parseInt(v));
        case "hidden" -> b.hidden(Integer.parseInt(v));
        case "len" -> b.historyLength(Integer.parseInt(v));
        case "neg" -> b.negatives(Integer.parseInt(v));
        case "exact" -> b.exactSoftmaxItems(Integer.parseInt(v));
        case "evw" -> b.eventWeightedLoss(Boolean.parseBoolean(v));
        case "rit" -> b.recentItemTerm(Boolean.parseBoolean(v));
        case "taste" -> b.tasteBlock(Boolean.parseBoolean(v));
        case "tastel2" -> b.tasteL2(Float.parseFloat(v));
        case "sessiongap" -> b.sessionGapSeconds(Long.parseLong(v));
        case "proftaste" -> b.profileTaste(Boolean.parseBoolean(v));
        case "biasstep" -> b.itemBiasStep(Float.parseFloat(v));
        case "bias" -> b.biasCoordinate(Boolean.parseBoolean(v));
        case "ares" -> b.attributeResidual(Boolean.parseBoolean(v));
        case "biasonly" -> b.idBiasOnly(Boolean.parseBoolean(v));
        case "img" -> b.useImage(Boolean.parseBoolean(v));
        case "txt" -> b.useText(Boolean.parseBoolean(v));
        case "id" -> b.useId(Boolean.parseBoolean(v));
        case "prof" -> b.useProfile(Boolean.parseBoolean(v));
        case "heads" -> b.heads(Integer.parseInt(v));
        case "warm" -> b.warmupFraction(Float.parseFloat(v));
        case "lr" -> b.learningRate(Float.parseFloat(v));
        case "batch" -> b.batchSize(Integer.parseInt(v));
        case "loss" -> b.loss(LossType.valueOf(v.toUpperCase(Locale.ROOT)));
        case "litem" -> b.lambdaItem(Float.parseFloat(v));
        case "luser" -> b.lambdaUser(Float.parseFloat(v));
        case "dropout" -> b.dropout(Float.parseFloat(v));
        case "iddrop" -> b.idDropout(Float.parseFloat(v));
        case "uiddrop" -> b.userIdDropout(Float.parseFloat(v));
        case "patience" -> b.patience(Integer.parseInt(v));
        case "wd" -> b.weightDecay(Float.parseFloat(v));
        default -> throw new IllegalArgumentException("unknown key " + kv[0]);
      }
    }
    TrainingListener progress = new TrainingListener() {
      @Override
      public void onEpoch(String model, int epoch, float meanLoss, double ndcg, boolean improved) {
        System.out.printf("%s epoch %d loss %.4f val ndcg@10 %.4f%s%n", model, epoch, meanLoss, ndcg, improved ? " *" : "");
      }
    };
    Map<String, double[]> sums = new java.util.LinkedHashMap<>();
    for (long seed : seeds) {
      EvaluationRunner runner = new EvaluationRunner(EvaluationRunner.Options.defaults().withModels(models)
          .withJoint(b.seed(seed).build()).withSeed(seed).withListener(progress));
      Path out = Path.of(args[1].replace(".json", "-s" + seed + ".json"));
      EvaluationReport report = runner.run(ds, out);
      System.out.println(report.toMarkdown());
      report.models().forEach((name, m) -> {
        double[] s = sums.computeIfAbsent(name, k -> new double[4]);
        s[0] += m.get("ndcg@10");
        s[1] += m.get("recall@20");
        s[2] += m.get("cold_recall@20") == null || m.get("cold_recall@20").isNaN() ? 0 : m.get("cold_recall@20");
        s[3] += 1;
      });
    }
    System.out.println("mean over seeds " + Arrays.toString(seeds) + ":");
    sums.forEach((name, s) -> System.out.printf(Locale.ROOT, "%-16s ndcg@10 %.4f recall@20 %.4f cold_recall@20 %.4f%n",
        name, s[0] / s[3], s[1] / s[3], s[2] / s[3]));
  }
}
