package dev.facet.model;

import java.util.List;
import java.util.Map;

/**
 * The oracle: each user's ground-truth ranking (by true utility); items beyond it follow in training
 * popularity order. Users without an oracle ranking get the popularity order.
 */
final class OracleRanker implements Scorer {
  private final Schema schema;
  private final Map<String, List<String>> rankings;
  private final float[] popularity;

  OracleRanker(TrainingData data, Map<String, List<String>> rankings) {
    this.schema = data.schema;
    this.rankings = rankings;
    long max = 1;
    for (long c : data.counts) {
      max = Math.max(max, c);
    }
    popularity = new float[data.counts.length];
    for (int i = 0; i < popularity.length; i++) {
      popularity[i] = (float) data.counts[i] / (max + 1); // in [0, 1): below every oracle score
    }
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    for (int k = 0; k < out.length; k++) {
      float[] s = popularity.clone();
      List<String> r = rankings.getOrDefault(users.get(k).user(), List.of());
      for (int pos = 0; pos < r.size(); pos++) {
        int i = schema.item(r.get(pos));
        if (i >= 0) {
          s[i] = 1f + (r.size() - pos);
        }
      }
      out[k] = s;
    }
    return out;
  }
}
