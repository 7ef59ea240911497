package dev.facet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalProtocolTest {
  private static Interaction ev(String item, long s) {
    return new Interaction("u", item, EventType.VIEW, Instant.ofEpochSecond(s));
  }

  /** User u: trained on a, validated on b, tested on c and on b again (a repeat MMRec would count). */
  @Test
  void testHistoriesAreTrainOnlyUnderMmrecAndTrainPlusValidUnderFacet() {
    List<ItemFeatures> items = new ArrayList<>();
    for (String id : List.of("a", "b", "c", "d")) {
      items.add(new ItemFeatures(id, null, null, java.util.Map.of()));
    }
    DataSplit split = new DataSplit(DataSplit.PRESET, List.of(ev("a", 1)), List.of(ev("b", 2)),
        List.of(ev("c", 3), ev("b", 4)));
    List<Interaction> all = new ArrayList<>(split.train());
    all.addAll(split.valid());
    all.addAll(split.test());
    Schema schema = Schema.of(new RecDataset(items, all));
    List<List<Step>> train = Step.histories(schema, split.train());

    EvalUser mmrec = EvalUser.of(schema, EvalProtocol.MMREC.testHistories(schema, train, split), split.test()).get(0);
    assertThat(mmrec.history()).extracting(Step::item).containsExactly(schema.item("a"));
    assertThat(mmrec.relevant()).containsExactlyInAnyOrder(schema.item("c"), schema.item("b"));
    int[] ranked = Evaluator.rank(new float[] {4, 3, 2, 1}, mmrec.history());
    assertThat(ranked).containsExactly(schema.item("b"), schema.item("c"), schema.item("d"));

    EvalUser facet = EvalUser.of(schema, EvalProtocol.FACET.testHistories(schema, train, split), split.test()).get(0);
    assertThat(facet.history()).extracting(Step::item).containsExactly(schema.item("a"), schema.item("b"));
    assertThat(facet.relevant()).containsExactly(schema.item("c"));
    assertThat(Evaluator.rank(new float[] {4, 3, 2, 1}, facet.history()))
        .containsExactly(schema.item("c"), schema.item("d"));
  }

  @Test
  void namesAndDefaults() {
    assertThat(EvalProtocol.of("MMRec")).isEqualTo(EvalProtocol.MMREC);
    assertThat(EvalProtocol.of("facet")).isEqualTo(EvalProtocol.FACET);
    assertThatThrownBy(() -> EvalProtocol.of("recbole")).hasMessageContaining("protocol must be facet or mmrec");
    DataSplit empty = new DataSplit(DataSplit.TEMPORAL, List.of(), List.of(), List.of());
    assertThat(EvalProtocol.defaultFor(empty)).isEqualTo(EvalProtocol.FACET);
    assertThat(EvalProtocol.defaultFor(new DataSplit(DataSplit.PRESET, List.of(), List.of(), List.of())))
        .isEqualTo(EvalProtocol.MMREC);
  }
}
