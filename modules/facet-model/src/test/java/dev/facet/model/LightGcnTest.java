package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LightGcnTest {
  @Test
  void ranksTheUsersCategoryFirstAndBeatsPopularity() {
    RecDataset ds = Synthetic.dataset(11, 64, 48, 12, false, false);
    DataSplit split = DataSplit.random(ds.interactions(), 3);
    Fixture f = Fixture.of(ds, split);
    LightGcn gcn = new LightGcn(f.data, LightGcn.Settings.defaults(5).withDim(16), f.evaluator, f.valUsers);
    double gcnNdcg = f.evaluator.evaluate(gcn, f.testUsers).get("ndcg@10");
    double popNdcg = f.evaluator.evaluate(new PopularBaseline(f.data), f.testUsers).get("ndcg@10");
    assertThat(gcnNdcg).as("lightgcn vs popular").isGreaterThan(popNdcg + 0.1);
    assertThat(gcn.bestEpoch()).isPositive();
    // users prefer one category (u % 4): their top items must come from it
    float[][] scores = gcn.score(f.testUsers);
    int inCategory = 0;
    for (int k = 0; k < scores.length; k++) {
      int[] order = Evaluator.rank(scores[k], f.testUsers.get(k).history());
      int cat = f.testUsers.get(k).userIndex() >= 0 ? Integer.parseInt(f.testUsers.get(k).user().substring(2)) % 4 : -1;
      String top = f.schema.itemIds.get(order[0]);
      inCategory += Integer.parseInt(top.substring(2)) % 4 == cat ? 1 : 0;
    }
    assertThat(inCategory).as("top item in the user's category").isGreaterThan(scores.length * 9 / 10);
  }

  @Test
  void sameSeedSameEmbeddingsAndUntrainedItemsScoreZero() {
    RecDataset ds = Synthetic.dataset(12, 24, 40, 6, false, false);
    // items I-36..I-39 of category 0..3 at the end may be unseen; drop every event of I-0 to be sure one is
    List<dev.facet.core.Interaction> events = ds.interactions().stream().filter(e -> !e.item().equals("I-0")).toList();
    RecDataset sparse = new RecDataset(ds.items(), ds.users(), events, java.util.Map.of());
    DataSplit split = DataSplit.random(sparse.interactions(), 1);
    Fixture f = Fixture.of(sparse, split);
    LightGcn.Settings s = LightGcn.Settings.defaults(9).withDim(8);
    LightGcn a = new LightGcn(f.data, s, f.evaluator, f.valUsers);
    LightGcn b = new LightGcn(f.data, s, f.evaluator, f.valUsers);
    for (int u = 0; u < f.schema.numUsers(); u++) {
      assertThat(a.userVector(u)).isEqualTo(b.userVector(u));
    }
    int unseen = f.schema.item("I-0");
    assertThat(f.data.trained[unseen]).isFalse();
    assertThat(a.itemVector(unseen)).containsOnly(0f);
  }

  /** Split, training data, evaluator and the validation and test users of a dataset (Facet's protocol). */
  record Fixture(Schema schema, TrainingData data, Evaluator evaluator, List<EvalUser> valUsers, List<EvalUser> testUsers) {
    static Fixture of(RecDataset ds, DataSplit split) {
      Schema schema = Schema.of(ds);
      TrainingData data = new TrainingData(schema, ds, split.train());
      return new Fixture(schema, data, new Evaluator(schema, data.trained), EvalUser.of(schema, data.sequences, split.valid()),
          EvalUser.of(schema, EvalProtocol.FACET.testHistories(schema, data.sequences, split), split.test()));
    }
  }
}
