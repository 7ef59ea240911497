package dev.facet.model;

import dev.facet.core.VectorMath;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Random;

/**
 * BPR-MF (Rendle et al.): matrix factorization trained with SGD on (user, positive, uniform
 * negative) triples, plain Java, seeded. Epochs are chosen by validation NDCG@10 (checked every
 * {@code evalEvery} epochs, stopping after 3 checks without improvement).
 */
final class BprMfBaseline implements Scorer {
  private final int dim;
  private final float[][] user;
  private final float[][] item;
  private final float[] itemBias;
  private int bestEpoch;

  BprMfBaseline(TrainingData data, int dim, float lr, float reg, int maxEpochs, long seed, Evaluator evaluator,
      List<EvalUser> validation) {
    this.dim = dim;
    int nu = data.schema.numUsers();
    int ni = data.schema.numItems();
    Random rnd = new Random(seed);
    user = init(nu, dim, rnd);
    item = init(ni, dim, rnd);
    itemBias = new float[ni];
    List<int[]> pairs = new ArrayList<>();
    List<BitSet> seen = new ArrayList<>();
    for (int u = 0; u < nu; u++) {
      BitSet bs = new BitSet(ni);
      for (Step s : data.sequences.get(u)) {
        pairs.add(new int[] {u, s.item()});
        bs.set(s.item());
      }
      seen.add(bs);
    }
    float[][] bestUser = copy(user);
    float[][] bestItem = copy(item);
    float[] bestBias = itemBias.clone();
    double best = -1;
    int bad = 0;
    int evalEvery = 5;
    for (int epoch = 1; epoch <= maxEpochs && !pairs.isEmpty(); epoch++) {
      for (int n = 0; n < pairs.size(); n++) {
        int[] p = pairs.get(rnd.nextInt(pairs.size()));
        int u = p[0];
        int i = p[1];
        int j;
        do {
          j = rnd.nextInt(ni);
        } while (seen.get(u).get(j) && seen.get(u).cardinality() < ni);
        sgd(u, i, j, lr, reg);
      }
      if (epoch % evalEvery == 0 || epoch == maxEpochs) {
        double ndcg = validation.isEmpty() ? 0 : evaluator.evaluate(this, validation).get("ndcg@10");
        if (ndcg > best) {
          best = ndcg;
          bestEpoch = epoch;
          bestUser = copy(user);
          bestItem = copy(item);
          bestBias = itemBias.clone();
          bad = 0;
        } else if (++bad >= 3) {
          break;
        }
      }
    }
    for (int u = 0; u < nu; u++) {
      user[u] = bestUser[u];
    }
    for (int i = 0; i < ni; i++) {
      item[i] = bestItem[i];
    }
    System.arraycopy(bestBias, 0, itemBias, 0, ni);
  }

  int bestEpoch() {
    return bestEpoch;
  }

  private void sgd(int u, int i, int j, float lr, float reg) {
    float[] pu = user[u];
    float[] qi = item[i];
    float[] qj = item[j];
    double x = itemBias[i] - itemBias[j];
    for (int f = 0; f < dim; f++) {
      x += pu[f] * (qi[f] - qj[f]);
    }
    float g = (float) (1 / (1 + Math.exp(x))); // σ(-x)
    itemBias[i] += lr * (g - reg * itemBias[i]);
    itemBias[j] += lr * (-g - reg * itemBias[j]);
    for (int f = 0; f < dim; f++) {
      float puf = pu[f];
      pu[f] += lr * (g * (qi[f] - qj[f]) - reg * puf);
      qi[f] += lr * (g * puf - reg * qi[f]);
      qj[f] += lr * (-g * puf - reg * qj[f]);
    }
  }

  private static float[][] init(int n, int d, Random rnd) {
    float[][] m = new float[n][d];
    for (float[] row : m) {
      for (int f = 0; f < d; f++) {
        row[f] = (float) (rnd.nextGaussian() * 0.1);
      }
    }
    return m;
  }

  private static float[][] copy(float[][] m) {
    float[][] c = new float[m.length][];
    for (int i = 0; i < m.length; i++) {
      c[i] = m[i].clone();
    }
    return c;
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    for (int k = 0; k < out.length; k++) {
      int u = users.get(k).userIndex();
      float[] s = new float[item.length];
      for (int i = 0; i < item.length; i++) {
        s[i] = itemBias[i] + (u >= 0 ? (float) VectorMath.dot(user[u], item[i]) : 0f);
      }
      out[k] = s;
    }
    return out;
  }
}
