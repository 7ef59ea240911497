package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationRunnerTest {
  @TempDir Path dir;

  @Test
  void writesJsonMarkdownAndChartWithTheContractKeys() throws Exception {
    RecDataset ds = Synthetic.dataset(21, 48, 32, 14, false, true);
    JointModelConfig joint = Synthetic.tinyConfig().epochs(12).patience(12).build();
    EvaluationRunner runner = new EvaluationRunner(EvaluationRunner.Options.defaults().withJoint(joint).withSeed(3)
        .withModels(List.of("joint", "popular", "itemknn", "bpr-mf", "content", "oracle", "joint-no-image",
            "joint-no-aux")));
    Path json = dir.resolve("eval.json");
    EvaluationReport report = runner.run(ds, json);
    assertThat(json).exists();
    assertThat(dir.resolve("eval.md")).exists();
    assertThat(Files.size(dir.resolve("eval.png"))).isGreaterThan(1000);
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("split").asText()).isEqualTo("temporal-leave-last-out");
    for (String model : List.of("joint", "popular", "itemknn", "bpr-mf", "content", "oracle", "joint-no-image",
        "joint-no-aux")) {
      JsonNode m = root.get("models").get(model);
      assertThat(m).as(model).isNotNull();
      for (String key : Evaluator.METRICS) {
        assertThat(m.has(key)).as(model + " " + key).isTrue();
      }
    }
    // the joint model's id mode is chosen on validation, both candidates reported
    assertThat(root.get("training").get("joint_item_ids").asText()).isIn("bias only", "embedding + bias");
    assertThat(root.get("training").has("joint_validation_ndcg@10_bias_only")).isTrue();
    assertThat(root.get("training").has("joint_validation_ndcg@10_embedding")).isTrue();
    assertThat(root.get("training").get("joint_to_oracle_recall@20").asDouble()).isPositive();
    // the no-image ablation on a dataset without images is the joint model itself, and says so
    assertThat(root.get("training").get("notes").toString()).contains("joint-no-image");
    // users cycle through their category: the sequence-aware joint model must beat popularity
    assertThat(report.metric("joint", "ndcg@10")).isGreaterThan(report.metric("popular", "ndcg@10"));
    assertThat(Files.readString(dir.resolve("eval.md"))).contains("| joint |", "ndcg@10");
  }

  @Test
  void anInteractionOnlyDatasetTrainsIdEmbeddingsAndSkipsTheVariantWithoutIds() throws Exception {
    // an MMRec .inter alone: no attributes, no image or text vectors, so only item ids describe items
    RecDataset full = Synthetic.dataset(23, 40, 24, 10, false, false);
    StringBuilder inter = new StringBuilder("userID\titemID\trating\ttimestamp\n");
    for (dev.facet.core.Interaction e : full.interactions()) {
      inter.append(e.user()).append('\t').append(e.item().substring(2)).append("\t4\t").append(e.ts().getEpochSecond())
          .append('\n');
    }
    Path file = dir.resolve("only.inter");
    Files.writeString(file, inter);
    RecDataset ds = RecBoleDatasetReader.read(file);
    EvaluationRunner runner = new EvaluationRunner(EvaluationRunner.Options.defaults()
        .withJoint(Synthetic.tinyConfig().epochs(2).build()).withModels(List.of("joint", "popular", "joint-no-id")));
    EvaluationReport report = runner.run(ds, dir.resolve("only.json"));
    assertThat(report.models()).containsKeys("joint", "popular").doesNotContainKey("joint-no-id");
    assertThat(report.training().get("joint_item_ids")).isEqualTo("embedding + bias (no item content)");
    assertThat(report.training().get("notes").toString()).contains("joint-no-id: not run");
  }

  /**
   * An MMRec-format dataset: filler users make item 0 the most popular and item 1 the next; user u has
   * trained on 5, validated on 0 and is tested on 1. Only u is a test user.
   */
  private Path mmrecDataset() throws Exception {
    StringBuilder inter = new StringBuilder("userID\titemID\trating\ttimestamp\tx_label\n");
    int t = 0;
    for (int f = 0; f < 5; f++) {
      for (int item = 0; item < 5 - f; item++) {
        inter.append("f").append(f).append('\t').append(item).append("\t4\t").append(t++).append("\t0\n");
      }
    }
    inter.append("u\t5\t4\t").append(t++).append("\t0\n");
    inter.append("u\t0\t4\t").append(t++).append("\t1\n");
    inter.append("u\t1\t4\t").append(t).append("\t2\n");
    Path file = dir.resolve("mm.inter");
    Files.writeString(file, inter);
    return file;
  }

  @Test
  void presetSplitIsUsedAndReportedWithItsProtocol() throws Exception {
    Path inter = mmrecDataset();
    long trainRows = Files.readAllLines(inter).stream().skip(1).filter(l -> l.endsWith("\t0")).count();
    RecDataset ds = RecBoleDatasetReader.read(inter);
    DataSplit split = RecBoleDatasetReader.split(inter, ds, null, 3);
    EvaluationRunner runner = new EvaluationRunner(EvaluationRunner.Options.defaults().withModels(List.of("popular")));
    Path json = dir.resolve("out/eval.json");
    runner.run(ds, split, EvalProtocol.defaultFor(split), json);
    JsonNode root = new ObjectMapper().readTree(json.toFile());
    assertThat(root.get("split").asText()).isEqualTo("preset");
    assertThat(root.get("protocol").asText()).isEqualTo("mmrec");
    assertThat(root.get("ranking").asText()).isEqualTo(EvalProtocol.MMREC.description());
    assertThat(root.get("training").get("train_interactions").asLong()).isEqualTo(trainRows).isEqualTo(16);
    assertThat(root.get("training").get("test_users").asInt()).isEqualTo(1);
    assertThat(Files.readString(dir.resolve("out/eval.md"))).contains("protocol: mmrec", "training items excluded");
  }

  @Test
  void mmrecProtocolKeepsValidationItemsAsCandidatesFacetProtocolExcludesThem() throws Exception {
    Path inter = mmrecDataset();
    RecDataset ds = RecBoleDatasetReader.read(inter);
    DataSplit split = RecBoleDatasetReader.presetSplit(inter, ds).orElseThrow();
    EvaluationRunner runner = new EvaluationRunner(EvaluationRunner.Options.defaults().withModels(List.of("popular")));
    // mmrec: only item 5 (training) is masked; popular ranks u's validation item 0 first, and it is
    // not relevant, so the test item 1 comes second
    EvaluationReport mmrec = runner.run(ds, split, EvalProtocol.MMREC);
    assertThat(mmrec.metric("popular", "mrr")).isEqualTo(0.5);
    assertThat(mmrec.metric("popular", "hr@10")).isEqualTo(1.0);
    // facet: training and validation items are masked, so the test item is first
    EvaluationReport facet = runner.run(ds, split, EvalProtocol.FACET);
    assertThat(facet.metric("popular", "mrr")).isEqualTo(1.0);
    assertThat(facet.protocol()).isEqualTo(EvalProtocol.FACET);
    assertThat(facet.toJson()).contains("\"protocol\" : \"facet\"", "training+validation items excluded");
    // the default for a preset split is MMRec's, for a computed one Facet's
    assertThat(runner.run(ds, split).protocol()).isEqualTo(EvalProtocol.MMREC);
    assertThat(runner.run(ds, runner.split(ds)).protocol()).isEqualTo(EvalProtocol.FACET);
  }
}
