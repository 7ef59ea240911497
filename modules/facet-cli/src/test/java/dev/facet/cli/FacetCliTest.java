package dev.facet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class FacetCliTest {
  @Test
  void everyCommandHasHelp() {
    CommandLine cli = new CommandLine(FacetCli.class);
    List<String> names = cli.getSubcommands().keySet().stream().filter(n -> !n.equals("help")).toList();
    assertThat(names).contains("generate-samples", "validate", "ingest", "train", "eval", "recommend", "similar",
        "search", "bench", "demo", "train-encoder");
    for (String name : names) {
      assertThat(run(name, "--help")).as(name).contains("Usage: facet " + name);
    }
    assertThat(run("bench", "recommend", "--help")).contains("--threads");
  }

  @Test
  void missingCatalogIsAClearErrorNotAStackTrace() {
    Failure failure = runFailing("validate", "--catalog", "/nonexistent/catalog", "--work",
        System.getProperty("java.io.tmpdir") + "/facet-cli-test");
    assertThat(failure.code()).isNotZero();
    assertThat(failure.err()).contains("/nonexistent/catalog").doesNotContain("\tat ");
  }

  @Test
  void trainEncoderRefusesAnImageModelItWouldNotTrain() {
    Failure failure = runFailing("train-encoder", "--catalog", "/nonexistent/catalog", "--image-model", "resnet18.pt");
    assertThat(failure.code()).isNotZero();
    assertThat(failure.err()).contains("--image-model does not apply to train-encoder");
  }

  /** Exit code and standard error of a command run in process. */
  private record Failure(int code, String err) {}

  private static Failure runFailing(String... args) {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = FacetCli.run(args);
      return new Failure(code, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setErr(err);
    }
  }

  private static String run(String... args) {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      FacetCli.run(args);
    } finally {
      System.setOut(out);
    }
    return captured.toString(StandardCharsets.UTF_8);
  }
}
