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
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      int code = FacetCli.run("validate", "--catalog", "/nonexistent/catalog", "--work",
          System.getProperty("java.io.tmpdir") + "/facet-cli-test");
      assertThat(code).isNotZero();
    } finally {
      System.setErr(err);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("/nonexistent/catalog").doesNotContain("\tat ");
  }

  @Test
  void trainEncoderRefusesAnImageModelItWouldNotTrain() {
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    int code;
    try {
      code = FacetCli.run("train-encoder", "--catalog", "/nonexistent/catalog", "--image-model", "resnet18.pt");
    } finally {
      System.setErr(err);
    }
    assertThat(code).isNotZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--image-model does not apply to train-encoder");
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
