package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MmrDiversifierTest {
  private final Random rnd = new Random(7);

  @Test
  void lambdaOneKeepsTheRelevanceOrder() {
    List<MmrDiversifier.Candidate<Integer>> pool = pool(30, 16);
    List<MmrDiversifier.Candidate<Integer>> picked = new MmrDiversifier(1.0).select(pool, 10);
    List<MmrDiversifier.Candidate<Integer>> sorted = new ArrayList<>(pool);
    sorted.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
    assertThat(picked).containsExactlyElementsOf(sorted.subList(0, 10));
  }

  @Test
  void aNearDuplicateOfThePickedItemLosesToADifferentOne() {
    float[] a = {1, 0, 0};
    float[] nearA = {0.99f, 0.14f, 0};
    float[] other = {0, 0, 1};
    List<MmrDiversifier.Candidate<String>> pool = List.of(new MmrDiversifier.Candidate<>("a", 1.0, a),
        new MmrDiversifier.Candidate<>("nearA", 0.9, nearA), new MmrDiversifier.Candidate<>("other", 0.8, other),
        new MmrDiversifier.Candidate<>("worst", 0.0, null));
    assertThat(new MmrDiversifier(1.0).select(pool, 2)).extracting(MmrDiversifier.Candidate::item)
        .containsExactly("a", "nearA");
    assertThat(new MmrDiversifier(0.5).select(pool, 2)).extracting(MmrDiversifier.Candidate::item)
        .containsExactly("a", "other");
  }

  @Test
  void matchesTheTextbookDefinitionOnRandomCandidates() {
    for (int t = 0; t < 20; t++) {
      List<MmrDiversifier.Candidate<Integer>> pool = pool(40, 64);
      double lambda = t / 20.0;
      assertThat(new MmrDiversifier(lambda).select(pool, 10)).as("lambda %s", lambda)
          .containsExactlyElementsOf(reference(pool, 10, lambda));
    }
  }

  /** Straightforward MMR: argmax of lambda*rel' - (1-lambda)*max cos to the picked ones. */
  private static <T> List<MmrDiversifier.Candidate<T>> reference(List<MmrDiversifier.Candidate<T>> pool, int k,
      double lambda) {
    double min = pool.stream().mapToDouble(MmrDiversifier.Candidate::relevance).min().orElse(0);
    double max = pool.stream().mapToDouble(MmrDiversifier.Candidate::relevance).max().orElse(0);
    double span = max > min ? max - min : 1;
    List<MmrDiversifier.Candidate<T>> left = new ArrayList<>(pool);
    List<MmrDiversifier.Candidate<T>> picked = new ArrayList<>();
    while (picked.size() < k && !left.isEmpty()) {
      MmrDiversifier.Candidate<T> best = null;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (MmrDiversifier.Candidate<T> c : left) {
        double sim = 0;
        for (MmrDiversifier.Candidate<T> p : picked) {
          sim = Math.max(sim, MmrDiversifier.cosine(c.vector(), p.vector()));
        }
        double value = lambda * (c.relevance() - min) / span - (1 - lambda) * sim;
        if (value > bestValue) {
          bestValue = value;
          best = c;
        }
      }
      picked.add(best);
      left.remove(best);
    }
    return picked;
  }

  private List<MmrDiversifier.Candidate<Integer>> pool(int n, int dim) {
    List<MmrDiversifier.Candidate<Integer>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      float[] v = new float[dim];
      for (int d = 0; d < dim; d++) {
        v[d] = (float) rnd.nextGaussian();
      }
      // relevance values far enough apart that float vs double rounding cannot swap two picks
      out.add(new MmrDiversifier.Candidate<>(i, rnd.nextInt(1_000_000) / 1000.0, i % 9 == 0 ? null : v));
    }
    return out;
  }
}
