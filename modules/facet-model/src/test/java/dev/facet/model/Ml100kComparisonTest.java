package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ml-100k target: joint beats BPR-MF and ItemKNN on NDCG@10 (temporal leave-last-out, full
 * ranking). Takes a few minutes of CPU, so it runs only with {@code -Dfacet.ml100k=true} and when the
 * shared dataset exists; the same measurement is {@code EvalMain /work/shared/datasets/ml-100k out.json}.
 */
class Ml100kComparisonTest {
  @Test
  void jointBeatsBprMfAndItemKnn() {
    Path ml = Path.of(System.getProperty("facet.project.root", "../.."), "..", "shared", "datasets", "ml-100k");
    Assumptions.assumeTrue(Files.exists(ml), "skipped: " + ml + " is absent");
    Assumptions.assumeTrue(Boolean.getBoolean("facet.ml100k"),
        "skipped: slow (minutes); run with -Dfacet.ml100k=true or use EvalMain");
    RecDataset ds = RecBoleDatasetReader.read(ml);
    EvaluationReport r = new EvaluationRunner(EvaluationRunner.Options.defaults().withThreads(1)
        .withModels(List.of("joint", "itemknn", "bpr-mf"))).run(ds, (Path) null);
    assertThat(r.metric("joint", "ndcg@10")).isGreaterThan(r.metric("bpr-mf", "ndcg@10"))
        .isGreaterThan(r.metric("itemknn", "ndcg@10"));
  }
}
