package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Same seed, same model across JVM processes on CPU (not only within one process): trains twice in
 * fresh JVMs ({@link DeterminismMain}) and compares validation NDCG@10 and every item vector bit for
 * bit; a third run with another seed must differ (the comparison is not vacuous).
 */
class CrossProcessDeterminismTest {
  @Test
  void sameSeedSameModelInSeparateProcesses() throws Exception {
    String first = run(7);
    String second = run(7);
    String other = run(8);
    assertThat(first).startsWith("ndcg=");
    assertThat(second).isEqualTo(first);
    assertThat(other).isNotEqualTo(first);
  }

  private static String run(long seed) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Dai.djl.offline=true", "-Xmx2g", "-cp", System.getProperty("java.class.path"),
        DeterminismMain.class.getName(), Long.toString(seed)));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    return text.lines().filter(l -> l.startsWith("ndcg=")).findFirst().orElse(text);
  }
}
