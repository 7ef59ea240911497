package dev.facet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each catalog command once, in the order a newcomer runs them, on a tiny generated catalog. */
class FacetCliEndToEndTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void theCommandsRunEndToEndOnATinyCatalog(@TempDir Path dir) throws Exception {
    Path catalog = dir.resolve("catalog");
    Path work = dir.resolve("work");
    String models = Path.of(System.getProperty("facet.project.root", "../..")).resolve("models").toString();
    List<String> common = List.of("--work", work.toString(), "--models", models, "--device", "CPU", "--threads", "2");

    assertThat(ok(List.of("generate-samples", "--items", "40", "--users", "20", "--seed", "3", "--out", catalog.toString())))
        .contains("40 listings");
    String item = JSON.readTree(Files.readAllLines(catalog.resolve("listings.jsonl")).get(0)).get("id").asText();
    String user = JSON.readTree(Files.readAllLines(catalog.resolve("interactions.jsonl")).get(0)).get("user").asText();

    assertThat(ok(List.of("validate", "--catalog", catalog.toString()), common)).contains("rejects: 0");
    assertThat(ok(List.of("ingest", "--catalog", catalog.toString()), common)).contains("ingested 40 listings");
    assertThat(ok(List.of("train"), common)).contains("trained:").contains("item vectors written to the index");
    String recs = ok(List.of("recommend", "--user", user, "-k", "5"), common);
    assertThat(recs).contains(" 1. ").contains("because:").doesNotContain("(no recommendations)");
    String similar = ok(List.of("similar", "--item", item, "-k", "5"), common);
    assertThat(similar).contains("score").doesNotContain(" " + item + " ").doesNotContain("(no results)");
    assertThat(ok(List.of("search", "ring", "-k", "3"), common)).contains("score").doesNotContain("(no results)");
  }

  /** Standard output of a command that must succeed; its standard error is the failure message otherwise. */
  @SafeVarargs
  private static String ok(List<String>... parts) {
    List<String> args = new ArrayList<>();
    for (List<String> p : parts) {
      args.addAll(p);
    }
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = FacetCli.run(args.toArray(String[]::new));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    String text = stdout.toString(StandardCharsets.UTF_8);
    assertThat(code).as("facet %s%nstdout: %s%nstderr: %s", String.join(" ", args), text,
        stderr.toString(StandardCharsets.UTF_8)).isZero();
    return text;
  }
}
