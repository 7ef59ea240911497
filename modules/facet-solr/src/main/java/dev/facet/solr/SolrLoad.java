package dev.facet.solr;

import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;

/**
 * Loads the embedded index into a SolrCloud collection:
 * {@code SolrLoad --index DIR --image-dims N --text-dims N --joint-dims N --solr URL[,URL] --collection NAME
 * [--create --shards N --replicas N] [--batch N]}. {@link SolrLoadLauncher} runs it in a child JVM on
 * facet-solr's own classpath (what {@code facet solr-load} does). Stop {@code facet serve} first: the embedded index
 * takes a write lock.
 */
public final class SolrLoad {
  private SolrLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--create")) {
        o.put("--create", "true");
      } else {
        o.put(args[i], args[++i]);
      }
    }
    IndexSettings settings = IndexSettings.defaults(Integer.parseInt(o.get("--image-dims")),
        Integer.parseInt(o.get("--text-dims")), Integer.parseInt(o.get("--joint-dims")));
    List<String> urls = Arrays.asList(o.get("--solr").split(","));
    String collection = o.getOrDefault("--collection", "facet");
    long start = System.nanoTime();
    try (CatalogIndex index = CatalogIndex.open(Path.of(o.get("--index")), settings);
        CloudHttp2SolrClient client = SolrCollections.client(urls)) {
      if (o.containsKey("--create")) {
        SolrCollections.create(client, collection, settings, Integer.parseInt(o.getOrDefault("--shards", "2")),
            Integer.parseInt(o.getOrDefault("--replicas", "2")));
      }
      long n = new SolrLoader(client, collection, Integer.parseInt(o.getOrDefault("--batch", "500"))).loadFrom(index, x -> {});
      System.out.printf(Locale.ROOT, "solr-load: %,d listings loaded into %s (%.1f s)%n", n, collection, (System.nanoTime() - start) / 1e9);
    }
    System.exit(0);
  }

}
