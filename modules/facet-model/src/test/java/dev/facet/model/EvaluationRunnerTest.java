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
}
