package dev.facet.model;

import java.util.Arrays;
import java.util.List;

/**
 * ItemKNN: cosine similarity between item columns of the binary training user-item matrix, each
 * item keeping its {@code k} most similar items; a user's score for item i is the sum of the
 * similarities of i to the user's history items.
 */
final class ItemKnnBaseline implements Scorer {
  private final int numItems;
  private final int[][] nbIdx;
  private final float[][] nbSim;

  ItemKnnBaseline(TrainingData data, int k) {
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1");
    }
    numItems = data.schema.numItems();
    int[][] itemUsers = new int[numItems][];
    int[] fill = new int[numItems];
    for (List<Step> seq : data.sequences) {
      for (Step s : seq) {
        fill[s.item()]++;
      }
    }
    for (int i = 0; i < numItems; i++) {
      itemUsers[i] = new int[fill[i]];
    }
    Arrays.fill(fill, 0);
    for (int u = 0; u < data.sequences.size(); u++) {
      for (Step s : data.sequences.get(u)) {
        itemUsers[s.item()][fill[s.item()]++] = u;
      }
    }
    nbIdx = new int[numItems][];
    nbSim = new float[numItems][];
    float[] co = new float[numItems];
    int[] touched = new int[numItems];
    for (int i = 0; i < numItems; i++) {
      int nt = 0;
      for (int u : itemUsers[i]) {
        for (Step s : data.sequences.get(u)) {
          int j = s.item();
          if (j != i) {
            if (co[j] == 0) {
              touched[nt++] = j;
            }
            co[j]++;
          }
        }
      }
      long[] keys = new long[nt];
      for (int t = 0; t < nt; t++) {
        int j = touched[t];
        float sim = (float) (co[j] / Math.sqrt((double) itemUsers[i].length * itemUsers[j].length));
        keys[t] = ((long) ~Float.floatToIntBits(sim) << 32) | j; // sims are positive: bits order = value order
        co[j] = 0;
      }
      Arrays.sort(keys);
      int keep = Math.min(k, nt);
      nbIdx[i] = new int[keep];
      nbSim[i] = new float[keep];
      for (int t = 0; t < keep; t++) {
        nbIdx[i][t] = (int) (keys[t] & 0xffffffffL);
        nbSim[i][t] = Float.intBitsToFloat(~(int) (keys[t] >> 32));
      }
    }
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    for (int k = 0; k < out.length; k++) {
      float[] s = new float[numItems];
      for (Step h : users.get(k).history()) {
        int[] idx = nbIdx[h.item()];
        float[] sim = nbSim[h.item()];
        for (int t = 0; t < idx.length; t++) {
          s[idx[t]] += sim[t];
        }
      }
      out[k] = s;
    }
    return out;
  }
}
