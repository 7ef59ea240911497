package dev.facet.solr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Starts {@link SolrLoad} in a child JVM. No SolrJ type appears here on purpose: the CLI holds only the
 * facet-solr jar (no SolrJ), and loading a class whose methods mention SolrJ types would fail there.
 */
public final class SolrLoadLauncher {
  private SolrLoadLauncher() {}

  /** What the parent writes to the child's standard input (the listings, as an IndexedListingStream). */
  public interface Feed {
    void writeTo(OutputStream stdin) throws IOException;
  }

  /**
   * Runs {@link SolrLoad} in a child JVM with facet-solr's build-time classpath, {@code feed} writing its
   * standard input; returns its exit code.
   */
  public static int launch(List<String> args, List<String> jvmOptions, Feed feed) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(Arrays.stream(resource("jvm-flags.txt").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList());
    cmd.addAll(jvmOptions);
    String self;
    try {
      self = Path.of(SolrLoadLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    cmd.addAll(List.of("-cp", self + java.io.File.pathSeparator + resource("runtime-classpath.txt").trim(), "dev.facet.solr.SolrLoad"));
    cmd.addAll(args);
    try {
      Process child = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.INHERIT)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      try (OutputStream stdin = child.getOutputStream()) {
        feed.writeTo(stdin);
      } catch (IOException e) {
        // the child ended early (e.g. Solr unreachable): its exit code and message say why
        System.err.println("solr-load: the loader stopped reading: " + e.getMessage());
      }
      return child.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 130;
    }
  }

  private static String resource(String name) {
    try (InputStream in = SolrLoadLauncher.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("facet-solr was built without " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
