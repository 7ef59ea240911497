package dev.facet.cli;

import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.ModelDescriptorReader;
import dev.facet.model.JointModelConfig;
import dev.facet.solr.SolrLoadLauncher;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facet solr-load}: copies the embedded index (listings and vectors) into a SolrCloud collection,
 * optionally creating it from the configset Facet generates. Runs in a child JVM on facet-solr's
 * classpath (SolrJ's Jetty 10 client stays off the CLI's classpath).
 */
@Command(name = "solr-load", mixinStandardHelpOptions = true,
    description = "Load the embedded index into a SolrCloud collection (create it with --create). Stop 'facet serve' first.")
final class SolrLoadCommand implements Callable<Integer> {
  @Option(names = "--solr", required = true, split = ",", description = "Solr node base URLs, e.g. http://host:8983/solr")
  List<String> solr;

  @Option(names = "--collection", defaultValue = "facet", description = "Collection. Default: ${DEFAULT-VALUE}")
  String collection;

  @Option(names = "--create", description = "Upload the generated configset and create the collection.")
  boolean create;

  @Option(names = "--shards", defaultValue = "2", description = "Shards when creating. Default: ${DEFAULT-VALUE}")
  int shards;

  @Option(names = "--replicas", defaultValue = "2", description = "Replicas per shard when creating. Default: ${DEFAULT-VALUE}")
  int replicas;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() {
    FacetConfig config = common.config(null);
    EmbedSettings embed = EmbedSettings.defaults();
    List<String> args = new ArrayList<>(List.of("--index", config.workDir().resolve("index").toAbsolutePath().toString(),
        "--image-dims", Integer.toString(ModelDescriptorReader.find(config.modelsDir(), embed.imageModelId()).outputDim()),
        "--text-dims", Integer.toString(ModelDescriptorReader.find(config.modelsDir(), embed.textModelId()).outputDim()),
        "--joint-dims", Integer.toString(JointModelConfig.builder().build().vectorDim()),
        "--solr", String.join(",", solr), "--collection", collection));
    if (create) {
      args.addAll(List.of("--create", "--shards", Integer.toString(shards), "--replicas", Integer.toString(replicas)));
    }
    return SolrLoadLauncher.launch(args, List.of("-Xmx2g"));
  }
}
