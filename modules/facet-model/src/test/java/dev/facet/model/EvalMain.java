package dev.facet.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line measurement (test scope): {@code EvalMain DATASET OUT.json [models] [key=value...]}
 * where DATASET is a RecBole/MMRec atomic-file directory or {@code .inter} file, or a catalog-samples
 * directory. Keys: split (preset, temporal or random; default preset when the .inter has x_label, else
 * temporal), protocol (facet or mmrec; default mmrec for a preset split, else facet), epochs, dim,
 * hidden, len, heads, neg, hard, lr, batch, loss, litem, luser, dropout, iddrop, uiddrop, logq, attrres,
 * recent, profile, evweight, biasonly, ids, warmup, seed, patience, wd.
 */
public final class EvalMain {
  private EvalMain() {}

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    boolean catalog = java.nio.file.Files.exists(dir.resolve("listings.jsonl"));
    RecDataset ds = catalog ? CatalogSamples.read(dir) : RecBoleDatasetReader.read(dir);
    List<String> models = args.length > 2 && !args[2].equals("all") ? Arrays.asList(args[2].split(",")) : List.of();
    JointModelConfig.Builder b = JointModelConfig.builder();
    long seed = 42;
    String split = null;
    String protocol = null;
    for (int i = 3; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      String v = kv[1];
      switch (kv[0]) {
        case "epochs" -> b.epochs(Integer.parseInt(v));
        case "dim" -> b.dim(Integer.parseInt(v));
        case "hidden" -> b.hidden(Integer.parseInt(v));
        case "len" -> b.historyLength(Integer.parseInt(v));
        case "heads" -> b.heads(Integer.parseInt(v));
        case "neg" -> b.negatives(Integer.parseInt(v));
        case "hard" -> b.hardNegatives(Integer.parseInt(v));
        case "lr" -> b.learningRate(Float.parseFloat(v));
        case "batch" -> b.batchSize(Integer.parseInt(v));
        case "loss" -> b.loss(LossType.valueOf(v.toUpperCase(java.util.Locale.ROOT)));
        case "litem" -> b.lambdaItem(Float.parseFloat(v));
        case "luser" -> b.lambdaUser(Float.parseFloat(v));
        case "dropout" -> b.dropout(Float.parseFloat(v));
        case "iddrop" -> b.idDropout(Float.parseFloat(v));
        case "uiddrop" -> b.userIdDropout(Float.parseFloat(v));
        case "patience" -> b.patience(Integer.parseInt(v));
        case "biasstep" -> b.itemBiasStep(Float.parseFloat(v));
        case "wd" -> b.weightDecay(Float.parseFloat(v));
        case "logq" -> b.logQCorrection(Boolean.parseBoolean(v));
        case "attrres" -> b.attributeResidual(Boolean.parseBoolean(v));
        case "taste" -> b.tasteBlock(Boolean.parseBoolean(v));
        case "tastel2" -> b.tasteL2(Float.parseFloat(v));
        case "sessiongap" -> b.sessionGapSeconds(Long.parseLong(v));
        case "proftaste" -> b.profileTaste(Boolean.parseBoolean(v));
        case "recent" -> b.recentItemTerm(Boolean.parseBoolean(v));
        case "profile" -> b.useProfile(Boolean.parseBoolean(v));
        case "evweight" -> b.eventWeightedLoss(Boolean.parseBoolean(v));
        case "biasonly" -> b.idBiasOnly(Boolean.parseBoolean(v));
        case "ids" -> b.useId(Boolean.parseBoolean(v));
        case "warmup" -> b.warmupFraction(Float.parseFloat(v));
        case "seed" -> seed = Long.parseLong(v);
        case "split" -> split = v;
        case "protocol" -> protocol = v;
        default -> throw new IllegalArgumentException("unknown key " + kv[0]);
      }
    }
    TrainingListener progress = new TrainingListener() {
      @Override
      public void onEpoch(String model, int epoch, float meanLoss, double ndcg, boolean improved) {
        System.out.printf("%s epoch %d loss %.4f val ndcg@10 %.4f%s%n", model, epoch, meanLoss, ndcg, improved ? " *" : "");
      }

      private long last = System.nanoTime();

      @Override
      public void onStep(String model, int epoch, int step, int steps, float loss) {
        if (step % 50 == 0) {
          long now = System.nanoTime();
          System.out.printf("  %s e%d step %d/%d loss %.4f (%.1f ms/step)%n", model, epoch, step, steps, loss,
              (now - last) / 50e6);
          last = now;
        }
      }

      @Override
      public void onPhase(String model, String phase) {
        System.out.println("[" + model + "] " + phase);
      }
    };
    EvaluationRunner.Options options = EvaluationRunner.Options.defaults().withModels(models).withJoint(b.build())
        .withSeed(seed).withListener(progress);
    DataSplit data = catalog ? DataSplit.of(split == null ? "temporal" : split, ds.interactions(), seed)
        : RecBoleDatasetReader.split(dir, ds, split, seed);
    EvalProtocol ranking = protocol == null ? EvalProtocol.defaultFor(data) : EvalProtocol.of(protocol);
    EvaluationReport report = new EvaluationRunner(options).run(ds, data, ranking, Path.of(args[1]));
    System.out.println(report.toMarkdown());
  }
}
