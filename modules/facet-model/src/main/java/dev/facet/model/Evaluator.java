package dev.facet.model;

import dev.facet.core.RankingMetrics;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Full-ranking evaluation: every item is scored, the user's history items are removed, and the
 * remaining ranking is scored against the held-out items with {@link RankingMetrics}. Adds
 * coverage@20 (share of all items appearing in some user's top 20) and cold_recall@20 (Recall@20
 * against held-out items that had no training interaction, over users that have such items; NaN
 * when none do) and warm_recall@20 (the same against held-out items that had training interactions),
 * so that cold_recall@20 / warm_recall@20 measures how well content carries new items, and
 * sparse_recall@20 (Recall@20 over the quarter of users with the shortest histories, ties included):
 * where a model must make do with little behaviour.
 */
final class Evaluator {
  static final List<String> METRICS = List.of("recall@10", "recall@20", "ndcg@10", "ndcg@20", "hr@10", "mrr",
      "auc", "coverage@20", "cold_recall@20", "warm_recall@20", "sparse_recall@20");
  private static final int CHUNK = 256;

  private final Schema schema;
  private final boolean[] trainedItems;

  Evaluator(Schema schema, boolean[] trainedItems) {
    this.schema = schema;
    this.trainedItems = trainedItems.clone();
  }

  Map<String, Double> evaluate(Scorer scorer, List<EvalUser> users) {
    Totals totals = new Totals(users.size());
    for (int from = 0; from < users.size(); from += CHUNK) {
      List<EvalUser> chunk = users.subList(from, Math.min(users.size(), from + CHUNK));
      float[][] scores = scorer.score(chunk);
      for (int k = 0; k < chunk.size(); k++) {
        EvalUser u = chunk.get(k);
        totals.add(from + k, u, rank(scores[k], u.history()));
      }
    }
    return totals.means(users);
  }

  /** Sums of every metric over the users evaluated so far, in user order. */
  private final class Totals {
    private final double[] sums = new double[7];
    private final BitSet covered = new BitSet(schema.numItems());
    private final double[] recall20;
    private double coldSum;
    private int coldUsers;
    private double warmSum;
    private int warmUsers;

    Totals(int users) {
      recall20 = new double[users];
    }

    void add(int userIndex, EvalUser u, int[] order) {
      List<String> ranked = new AbstractList<>() {
        @Override
        public String get(int index) {
          return schema.itemIds.get(order[index]);
        }

        @Override
        public int size() {
          return order.length;
        }
      };
      Set<String> relevant = new HashSet<>();
      Set<String> cold = new HashSet<>();
      Set<String> warm = new HashSet<>();
      for (int i : u.relevant()) {
        relevant.add(schema.itemIds.get(i));
        (trainedItems[i] ? warm : cold).add(schema.itemIds.get(i));
      }
      sums[0] += RankingMetrics.recall(ranked, relevant, 10);
      sums[1] += recall20[userIndex] = RankingMetrics.recall(ranked, relevant, 20);
      sums[2] += RankingMetrics.ndcg(ranked, relevant, 10);
      sums[3] += RankingMetrics.ndcg(ranked, relevant, 20);
      sums[4] += RankingMetrics.hitRate(ranked, relevant, 10);
      sums[5] += RankingMetrics.mrr(ranked, relevant);
      sums[6] += RankingMetrics.auc(ranked, relevant);
      for (int r = 0; r < Math.min(20, order.length); r++) {
        covered.set(order[r]);
      }
      if (!cold.isEmpty()) {
        coldSum += RankingMetrics.recall(ranked, cold, 20);
        coldUsers++;
      }
      if (!warm.isEmpty()) {
        warmSum += RankingMetrics.recall(ranked, warm, 20);
        warmUsers++;
      }
    }

    Map<String, Double> means(List<EvalUser> users) {
      Map<String, Double> out = new LinkedHashMap<>();
      int n = Math.max(1, users.size());
      for (int m = 0; m < 7; m++) {
        out.put(METRICS.get(m), sums[m] / n);
      }
      out.put("coverage@20", (double) covered.cardinality() / schema.numItems());
      out.put("cold_recall@20", coldUsers == 0 ? Double.NaN : coldSum / coldUsers);
      out.put("warm_recall@20", warmUsers == 0 ? Double.NaN : warmSum / warmUsers);
      out.put("sparse_recall@20", sparseRecall(users, recall20));
      return out;
    }
  }

  /** Mean of {@code recall20} over the users whose history is no longer than the lower quartile's; NaN without users. */
  static double sparseRecall(List<EvalUser> users, double[] recall20) {
    if (users.isEmpty()) {
      return Double.NaN;
    }
    int[] sizes = users.stream().mapToInt(u -> u.history().size()).sorted().toArray();
    int cut = sizes[(sizes.length - 1) / 4];
    double sum = 0;
    int n = 0;
    for (int k = 0; k < users.size(); k++) {
      if (users.get(k).history().size() <= cut) {
        sum += recall20[k];
        n++;
      }
    }
    return sum / n;
  }

  /** Item indices by descending score, history items removed; ties by item index. */
  static int[] rank(float[] scores, List<Step> history) {
    BitSet seen = new BitSet(scores.length);
    for (Step s : history) {
      seen.set(s.item());
    }
    long[] keys = new long[scores.length - seen.cardinality()];
    int n = 0;
    for (int i = 0; i < scores.length; i++) {
      if (!seen.get(i)) {
        float s = Float.isNaN(scores[i]) ? Float.NEGATIVE_INFINITY : scores[i];
        int bits = Float.floatToIntBits(s);
        int sortable = bits >= 0 ? bits : bits ^ 0x7fffffff; // ascending int order == ascending float order
        keys[n++] = ((long) ~sortable << 32) | i; // descending score, then ascending index
      }
    }
    Arrays.sort(keys, 0, n);
    int[] order = new int[n];
    for (int k = 0; k < n; k++) {
      order[k] = (int) (keys[k] & 0xffffffffL);
    }
    return order;
  }
}
