package dev.facet.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Runs a Facet Spark job in a child JVM, the way {@code spark-submit} would: with facet-spark's own
 * runtime classpath (written into this jar at build time) and the JVM flags Spark and DJL need on JDK 25
 * (also written at build time, from the parent pom's {@code facet.jvm.flags} and {@code facet.spark.jvm.flags}).
 *
 * <p>This class has no Spark imports on purpose: the CLI depends on facet-spark's jar alone (all
 * transitive dependencies excluded), so {@code facet --help} and every other command keep their small,
 * fast classpath, and Spark's Jackson 2.21 never meets the CLI's.
 */
public final class SparkJobLauncher {
  private SparkJobLauncher() {}

  /** The flags the child JVM is started with. */
  public static List<String> jvmFlags() {
    return Arrays.stream(resource("jvm-flags.txt").trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  /** The child JVM's classpath: this module's classes followed by its runtime dependencies. */
  public static String classpath() {
    String self;
    try {
      self = Path.of(SparkJobLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return self + java.io.File.pathSeparator + resource("runtime-classpath.txt").trim();
  }

  /**
   * Runs {@link SparkExtractJob#main} in a child JVM with inherited stdio and returns its exit code.
   *
   * @param extraJvmOptions e.g. {@code -Xmx4g}; {@code -Dfacet.home} is passed through when set
   */
  public static int runExtract(List<String> args, List<String> extraJvmOptions) {
    return run(SparkExtractJob.class.getName(), args, extraJvmOptions);
  }

  static int run(String mainClass, List<String> args, List<String> extraJvmOptions) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvmFlags());
    cmd.addAll(Objects.requireNonNull(extraJvmOptions, "extraJvmOptions"));
    String home = System.getProperty("facet.home");
    if (home != null) {
      cmd.add("-Dfacet.home=" + home);
    }
    cmd.add("-cp");
    cmd.add(classpath());
    cmd.add(mainClass);
    cmd.addAll(args);
    try {
      Process p = new ProcessBuilder(cmd).inheritIO().start();
      try {
        return p.waitFor();
      } catch (InterruptedException e) {
        p.destroy();
        Thread.currentThread().interrupt();
        return 130;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("starting " + cmd.get(0), e);
    }
  }

  private static String resource(String name) {
    try (InputStream in = SparkJobLauncher.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("facet-spark was built without " + name + " (run mvn -pl modules/facet-spark package)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
