import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.embedded.JettySolrRunner;
import org.apache.solr.cloud.MiniSolrCloudCluster;

/**
 * A real SolrCloud (N Solr 9 nodes + embedded ZooKeeper) in its own JVM, on the Solr classpath only
 * (Lucene 9). Run as a single-file source program:
 * {@code java -cp $(cat target/solr-server-classpath.txt) solr-server/src/SolrCloudMain.java NODES BASEDIR}.
 *
 * <p>Protocol: prints {@code READY <zkHost> <url>,<url>...} once the cluster is up, then reads commands
 * on stdin, one per line, answering each with one line: {@code stop I} → {@code STOPPED I},
 * {@code start I} → {@code STARTED I <url>}, {@code quit} (or end of stdin) → shuts down.
 */
public final class SolrCloudMain {
  public static void main(String[] args) throws Exception {
    int nodes = Integer.parseInt(args[0]);
    Path base = Path.of(args[1]);
    Files.createDirectories(base);
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(nodes, base).build();
    try {
      System.out.println("READY " + cluster.getZkServer().getZkAddress() + " " + urls(cluster));
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      List<JettySolrRunner> stopped = new ArrayList<>();
      for (String line; (line = in.readLine()) != null; ) {
        String[] cmd = line.trim().split("\\s+");
        switch (cmd[0]) {
          case "stop" -> {
            int i = Integer.parseInt(cmd[1]);
            JettySolrRunner j = cluster.getJettySolrRunner(i);
            cluster.stopJettySolrRunner(j);
            cluster.waitForJettyToStop(j);
            System.out.println("STOPPED " + i);
          }
          case "start" -> {
            int i = Integer.parseInt(cmd[1]);
            JettySolrRunner j = cluster.getJettySolrRunner(i);
            cluster.startJettySolrRunner(j);
            cluster.waitForNode(j, 60);
            System.out.println("STARTED " + i + " " + j.getBaseUrl());
          }
          case "quit" -> {
            return;
          }
          default -> System.out.println("ERROR unknown command " + line);
        }
        System.out.flush();
      }
    } finally {
      cluster.shutdown();
      System.out.println("BYE");
      System.out.flush();
    }
  }

  private static String urls(MiniSolrCloudCluster cluster) {
    List<String> out = new ArrayList<>();
    for (JettySolrRunner j : cluster.getJettySolrRunners()) {
      out.add(j.getBaseUrl().toString());
    }
    return String.join(",", out);
  }
}
