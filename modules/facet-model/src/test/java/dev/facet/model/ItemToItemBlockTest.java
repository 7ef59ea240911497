package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ItemToItemBlockTest {
  @Test
  void inverseOfARandomSpdMatrix() {
    Random rnd = new Random(7);
    int n = 30;
    double[][] x = new double[50][n];
    for (double[] row : x) {
      for (int j = 0; j < n; j++) {
        row[j] = rnd.nextDouble() < 0.2 ? 1 : 0;
      }
    }
    double[][] a = new double[n][n];
    for (double[] row : x) {
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          a[i][j] += row[i] * row[j];
        }
      }
    }
    for (int i = 0; i < n; i++) {
      a[i][i] += 3;
    }
    double[][] copy = new double[n][];
    for (int i = 0; i < n; i++) {
      copy[i] = a[i].clone();
    }
    double[][] inv = SymmetricInverse.invert(copy);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += a[i][k] * inv[k][j];
        }
        assertThat(s).as("(A·A⁻¹)[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, within(1e-9));
      }
    }
  }

  @Test
  void weightsSolveTheEaseRegressionAndScoresSumHistoryRows() {
    RecDataset ds = Synthetic.dataset(21, 40, 24, 8, false, false);
    DataSplit split = DataSplit.random(ds.interactions(), 2);
    LightGcnTest.Fixture f = LightGcnTest.Fixture.of(ds, split);
    ItemToItemBlock block = ItemToItemBlock.train(f.data(), f.evaluator(), f.valUsers());
    assertThat(block).isNotNull();
    int n = f.schema().numItems();
    // every item's row of B is kept whole at this size, so B·e_i can be read back: no self-weight
    List<Integer> one = List.of(f.schema().item("I-5"));
    float[] row = block.rawScores(one);
    assertThat(row[f.schema().item("I-5")]).isZero();
    // same category (i % 4) predicts, others do not: in-category weights dominate
    double same = 0;
    double other = 0;
    for (int i = 0; i < n; i++) {
      int item = Integer.parseInt(f.schema().itemIds.get(i).substring(2));
      if (item % 4 == 1) {
        same += row[i];
      } else {
        other += row[i];
      }
    }
    assertThat(same).isGreaterThan(other + 0.1);
    float[] two = block.rawScores(List.of(f.schema().item("I-5"), f.schema().item("I-9"), f.schema().item("I-5")));
    float[] nine = block.rawScores(List.of(f.schema().item("I-9")));
    for (int i = 0; i < n; i++) {
      assertThat(two[i]).isCloseTo(row[i] + nine[i], within(1e-6f));
    }
    block.weight(2f);
    int[] hist = {f.schema().item("I-5"), f.schema().item("I-9")};
    assertThat(block.score(hist, f.schema().item("I-13"))).isCloseTo(2f * two[f.schema().item("I-13")], within(1e-5f));
    double popNdcg = f.evaluator().evaluate(new PopularBaseline(f.data()), f.testUsers()).get("ndcg@10");
    Scorer alone = users -> users.stream().map(u -> block.rawScores(u.history().stream().map(Step::item).toList()))
        .toArray(float[][]::new);
    assertThat(f.evaluator().evaluate(alone, f.testUsers()).get("ndcg@10")).isGreaterThan(popNdcg + 0.1);
  }

  @Test
  void roundTripKeepsRowsWeightAndLambda() throws Exception {
    RecDataset ds = Synthetic.dataset(22, 30, 20, 6, false, false);
    LightGcnTest.Fixture f = LightGcnTest.Fixture.of(ds, DataSplit.random(ds.interactions(), 5));
    ItemToItemBlock block = ItemToItemBlock.train(f.data(), f.evaluator(), f.valUsers());
    block.weight(0.75f);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      block.writeTo(out);
    }
    ItemToItemBlock back = ItemToItemBlock.readFrom(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
        f.schema().numItems());
    assertThat(back.weight()).isEqualTo(0.75f);
    assertThat(back.lambda()).isEqualTo(block.lambda());
    List<Integer> hist = List.of(1, 4, 7);
    assertThat(back.rawScores(hist)).isEqualTo(block.rawScores(hist));
  }
}
