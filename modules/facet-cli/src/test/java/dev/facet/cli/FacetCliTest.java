package dev.facet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
    Failure renamed = runFailing("train-encoder", "--catalog", "/nonexistent/catalog", "--complement", "--resnet-id", "x");
    assertThat(renamed.code()).isNotZero();
    assertThat(renamed.err()).contains("--resnet-id names the network plain training writes");
    Failure outside = runFailing("train-encoder", "--catalog", "/nonexistent/catalog", "--resnet-id", "../elsewhere");
    assertThat(outside.code()).isNotZero();
    assertThat(outside.err()).contains("model id '../elsewhere' must be letters, digits");
  }

  @Test
  void evalUsesTheDatasetsOwnSplitAndProtocol(@TempDir Path dir) throws Exception {
    Path inter = dir.resolve("mm.inter");
    StringBuilder rows = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label\n");
    int trainRows = 0;
    for (int u = 0; u < 6; u++) {
      for (int i = 0; i < 5; i++) {
        int label = i < 3 ? 0 : i - 2;
        trainRows += label == 0 ? 1 : 0;
        rows.append(u).append('\t').append((u + i) % 7).append("\t4\t").append(100 * u + i).append('\t')
            .append(label).append('\n');
      }
    }
    Files.writeString(inter, rows);
    JsonNode preset = eval(dir, "--dataset", inter.toString(), "--only", "popular,itemknn");
    assertThat(preset.get("split").asText()).isEqualTo("preset");
    assertThat(preset.get("protocol").asText()).isEqualTo("mmrec");
    assertThat(preset.get("training").get("train_interactions").asInt()).isEqualTo(trainRows).isEqualTo(18);
    List<String> models = new ArrayList<>();
    preset.get("models").fieldNames().forEachRemaining(models::add);
    assertThat(models).containsExactly("popular", "itemknn");
    JsonNode facet = eval(dir, "--dataset", dir.toString(), "--only", "popular", "--protocol", "facet");
    assertThat(facet.get("split").asText()).isEqualTo("preset");
    assertThat(facet.get("protocol").asText()).isEqualTo("facet");
    JsonNode temporal = eval(dir, "--dataset", inter.toString(), "--only", "popular", "--split", "temporal");
    assertThat(temporal.get("split").asText()).isEqualTo("temporal-leave-last-out");
    assertThat(temporal.get("protocol").asText()).isEqualTo("facet");
  }

  @Test
  void presetSplitWithoutXLabelIsAClearError(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("tiny.inter"), "user_id:token\titem_id:token\n1\t10\n1\t11\n1\t12\n");
    Failure failure = runFailing("eval", "--dataset", dir.toString(), "--split", "preset", "--only", "popular",
        "--json", dir.resolve("eval.json").toString());
    assertThat(failure.code()).isNotZero();
    assertThat(failure.err()).contains("tiny.inter", "needs an x_label column").doesNotContain("\tat ");
    assertThat(dir.resolve("eval.json")).doesNotExist();
  }

  private static JsonNode eval(Path dir, String... args) throws Exception {
    Path json = dir.resolve("eval-" + System.nanoTime() + ".json");
    List<String> all = new ArrayList<>(List.of("eval", "--threads", "1", "--json", json.toString()));
    all.addAll(List.of(args));
    assertThat(FacetCli.run(all.toArray(String[]::new))).isZero();
    return new ObjectMapper().readTree(json.toFile());
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
