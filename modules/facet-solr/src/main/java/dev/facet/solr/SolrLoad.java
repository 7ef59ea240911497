package dev.facet.solr;

import dev.facet.index.IndexSettings;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;

/**
 * Loads listings into a SolrCloud collection:
 * {@code SolrLoad --image-dims N --text-dims N --joint-dims N --solr URL[,URL] --collection NAME
 * [--create --shards N --replicas N] [--batch N]}, the listings read from standard input as an {@link
 * dev.facet.index.IndexedListingStream}. {@link SolrLoadLauncher} runs it in a child JVM on facet-solr's own
 * classpath, which holds no Lucene: {@code facet solr-load} reads the embedded index and feeds it.
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
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(System.in, 1 << 16));
        CloudHttp2SolrClient client = SolrCollections.client(urls)) {
      if (o.containsKey("--create")) {
        SolrCollections.create(client, collection, settings, Integer.parseInt(o.getOrDefault("--shards", "2")),
            Integer.parseInt(o.getOrDefault("--replicas", "2")));
      }
      long n = new SolrLoader(client, collection, Integer.parseInt(o.getOrDefault("--batch", "500"))).loadFrom(in, x -> {});
      System.out.printf(Locale.ROOT, "solr-load: %,d listings loaded into %s (%.1f s)%n", n, collection, (System.nanoTime() - start) / 1e9);
    }
    System.exit(0);
  }

}
