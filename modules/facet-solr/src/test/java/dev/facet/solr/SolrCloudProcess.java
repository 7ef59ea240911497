package dev.facet.solr;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real SolrCloud (Solr 9.10.1 nodes + embedded ZooKeeper, {@code MiniSolrCloudCluster}) in a child
 * JVM on Solr's own classpath ({@code target/solr-server-classpath.txt}, Lucene 9), never on this
 * JVM's Lucene 10 classpath. Talks to {@code solr-server/src/SolrCloudMain.java} over stdin/stdout.
 */
final class SolrCloudProcess implements AutoCloseable {
  private final Process process;
  private final BufferedReader out;
  private final PrintWriter in;
  final List<String> urls;

  private SolrCloudProcess(Process process, BufferedReader out, PrintWriter in, List<String> urls) {
    this.process = process;
    this.out = out;
    this.in = in;
    this.urls = urls;
  }

  static SolrCloudProcess start(int nodes, Path baseDir) throws IOException {
    Path cpFile = Path.of(System.getProperty("facet.solr.server.classpath", "target/solr-server-classpath.txt"));
    Path main = Path.of(System.getProperty("facet.solr.server.main", "solr-server/src/SolrCloudMain.java"));
    if (!Files.isRegularFile(cpFile)) {
      throw new IllegalStateException(cpFile + " missing: run the facet-solr build (generate-test-resources writes it)");
    }
    Files.createDirectories(baseDir);
    Path log = baseDir.resolve("solr-cloud.log");
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-Dsolr.log.dir=" + baseDir.resolve("logs"), "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", Files.readString(cpFile).trim(), main.toString(), Integer.toString(nodes), baseDir.resolve("cluster").toString()));
    Process p = new ProcessBuilder(cmd).redirectError(log.toFile()).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    PrintWriter in = new PrintWriter(p.getOutputStream(), true, StandardCharsets.UTF_8);
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("READY ")) {
        String[] parts = line.split(" ");
        return new SolrCloudProcess(p, out, in, Arrays.asList(parts[2].split(",")));
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("SolrCloud child JVM exited before READY; see " + log);
  }

  /** Stops node {@code i} (gracefully, as an operator or a crash-restart would take it away). */
  void stopNode(int i) {
    command("stop " + i, "STOPPED");
  }

  private synchronized String command(String cmd, String expect) {
    in.println(cmd);
    try {
      for (String line; (line = out.readLine()) != null; ) {
        if (line.startsWith(expect)) {
          return line;
        }
        if (line.startsWith("ERROR")) {
          throw new IllegalStateException(line);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("SolrCloud child JVM ended during '" + cmd + "'");
  }

  @Override
  public void close() throws InterruptedException {
    in.println("quit");
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
