package dev.facet.solr;

import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;

/**
 * Loads the embedded index into a SolrCloud collection:
 * {@code SolrLoad --index DIR --image-dims N --text-dims N --joint-dims N --solr URL[,URL] --collection NAME
 * [--create --shards N --replicas N] [--batch N]}. {@link #launch} runs it in a child JVM on facet-solr's
 * own classpath (what {@code facet solr-load} does). Stop {@code facet serve} first: the embedded index
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

  /** Runs {@link #main} in a child JVM with facet-solr's build-time classpath; returns its exit code. */
  public static int launch(List<String> args, List<String> jvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.stream(resource("jvm-flags.txt").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    cmd.addAll(jvmOptions);
    String self;
    try {
      self = Path.of(SolrLoad.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    cmd.addAll(List.of("-cp", self + java.io.File.pathSeparator + resource("runtime-classpath.txt").trim(), SolrLoad.class.getName()));
    cmd.addAll(args);
    try {
      return new ProcessBuilder(cmd).inheritIO().start().waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static String resource(String name) {
    try (InputStream in = SolrLoad.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("facet-solr was built without " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
