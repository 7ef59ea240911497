package dev.facet.cli;

import dev.facet.core.FacetConfig;
import dev.facet.embed.EmbedSettings;
import dev.facet.embed.ModelDescriptorReader;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import dev.facet.index.IndexedListing;
import dev.facet.index.IndexedListingStream;
import dev.facet.model.JointModelConfig;
import dev.facet.solr.SolrLoadLauncher;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code facet solr-load}: copies the embedded index (listings and vectors) into a SolrCloud collection,
 * optionally creating it from the configset Facet generates. The loader runs in a child JVM on facet-solr's
 * classpath (SolrJ's Jetty 10 client stays off the CLI's classpath, Lucene off the loader's); this process
 * reads the embedded index and streams its listings to the child's standard input.
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
    IndexSettings settings = IndexSettings.defaults(
        ModelDescriptorReader.find(config.modelsDir(), embed.imageModelId()).outputDim(),
        ModelDescriptorReader.find(config.modelsDir(), embed.textModelId()).outputDim(),
        JointModelConfig.builder().build().vectorDim());
    List<String> args = new ArrayList<>(List.of("--image-dims", Integer.toString(settings.imageDims()),
        "--text-dims", Integer.toString(settings.textDims()), "--joint-dims", Integer.toString(settings.jointDims()),
        "--solr", String.join(",", solr), "--collection", collection));
    if (create) {
      args.addAll(List.of("--create", "--shards", Integer.toString(shards), "--replicas", Integer.toString(replicas)));
    }
    Path dir = config.workDir().resolve("index");
    return SolrLoadLauncher.launch(args, List.of("-Xmx2g"), stdin -> feed(dir, settings, stdin));
  }

  /** Streams every listing of the embedded index (the loader's JVM has no Lucene to read it itself). */
  private static void feed(Path dir, IndexSettings settings, OutputStream stdin) throws IOException {
    try (CatalogIndex index = CatalogIndex.open(dir, settings)) {
      DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stdin, 1 << 16));
      for (String id : new TreeSet<>(index.ids())) {
        Optional<IndexedListing> doc = index.get(id);
        if (doc.isPresent()) {
          IndexedListingStream.write(out, doc.get());
        }
      }
      IndexedListingStream.end(out);
    }
  }
}
