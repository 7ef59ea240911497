package dev.facet.cli;

import dev.facet.spark.SparkJobLauncher;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code facet spark-extract}: batch feature extraction on Apache Spark into Parquet. The job runs in a
 * child JVM on facet-spark's own classpath with the JVM flags Spark needs (see {@link SparkJobLauncher});
 * on a cluster, submit {@code dev.facet.spark.SparkExtractJob} with {@code spark-submit} instead.
 */
@Command(name = "spark-extract", mixinStandardHelpOptions = true,
    description = {"Extract image and text vectors of a catalog on Apache Spark and write Parquet "
        + "(id, content_hash, image_vec, text_vec, attributes) to OUT/vectors.parquet; rejects go to OUT/rejects.jsonl.",
        "Re-running over the same OUT embeds only new or changed listings."})
final class SparkExtractCommand implements Callable<Integer> {
  @Option(names = "--master", defaultValue = "local[2]", description = "Spark master URL. Default: ${DEFAULT-VALUE}")
  String master;

  @Option(names = "--catalog", required = true, description = "Catalog directory (on a path every executor sees).")
  Path catalog;

  @Option(names = "--out", required = true, description = "Output directory (Parquet and rejects).")
  Path out;

  @Option(names = "--models", description = "Models directory. Default: <facet home>/models")
  Path models;

  @Option(names = "--work", defaultValue = "work", description = "Work directory (model cache). Default: ${DEFAULT-VALUE}")
  Path work;

  @Option(names = "--image-model", description = "A TorchScript image model file instead of the default image encoder.")
  Path imageModel;

  @Option(names = "--partitions", defaultValue = "0", description = "Partitions to embed over. Default: Spark's default parallelism")
  int partitions;

  @Option(names = "--batch", defaultValue = "32", description = "Listings per forward pass. Default: ${DEFAULT-VALUE}")
  int batch;

  @Option(names = "--device", defaultValue = "AUTO", description = "AUTO, CPU or GPU on executors. Default: ${DEFAULT-VALUE}")
  String device;

  @Override
  public Integer call() {
    List<String> args = new ArrayList<>(List.of("--master", master, "--catalog", abs(catalog), "--out", abs(out),
        "--models", abs(models != null ? models : CommonOptions.facetHome().resolve("models")), "--work", abs(work),
        "--partitions", Integer.toString(partitions), "--batch", Integer.toString(batch), "--device", device));
    if (imageModel != null) {
      args.addAll(List.of("--image-model", abs(imageModel)));
    }
    String opts = System.getenv().getOrDefault("FACET_SPARK_JAVA_OPTS", "-Xmx4g");
    List<String> jvm = Arrays.stream(opts.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
    return SparkJobLauncher.runExtract(args, jvm);
  }

  private static String abs(Path p) {
    return p.toAbsolutePath().normalize().toString();
  }
}
