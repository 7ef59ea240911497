package dev.facet.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The joint model's item-to-item block: {@code s(u,i) = w·Σ_{j ∈ history(u)} B[j,i]}, with {@code B} the
 * closed-form item-to-item regression of EASE (Steck, WWW 2019) on the binary user × item training
 * matrix {@code X}: {@code P = (XᵀX + λI)⁻¹}, {@code B[j,i] = -P[j,i] / P[i,i]}, {@code B[i,i] = 0}.
 *
 * <p>It complements the collaborative block's embeddings the way neighbourhood models complement
 * factor models: it reads the user's history as it is at request time (events after training count at
 * once, new shoppers with a few clicks get it too) and keeps the specific item-to-item pairs a
 * low-rank vector flattens. Each row of {@code B} keeps its {@link #ROW_NONZEROS} largest weights, so
 * serving a candidate costs one binary search per history item. It is not an inner product, so the
 * recommender adds it when it re-ranks the candidates the vectors retrieved.
 *
 * <p>The dense inverse costs {@code O(n³)} time and {@code O(n²)} memory in the number of trained items
 * {@code n}, so the block is built only up to {@link #MAX_ITEMS} of them (beyond, the model goes
 * without it and says so). {@code λ} is chosen on validation among multiples of the mean item count.
 */
final class ItemToItemBlock {
  static final int MAX_ITEMS = 4000;
  static final int ROW_NONZEROS = 256;
  /** Multiples of the mean training count per trained item tried as {@code λ}. */
  static final double[] LAMBDA_SCALES = {1, 2, 4, 8, 16};

  private final int numItems;
  /** Per item j: sorted target items and their weights B[j, i]. */
  private final int[][] cols;
  private final float[][] vals;
  private final double lambda;
  private float weight;

  private ItemToItemBlock(int numItems, int[][] cols, float[][] vals, double lambda, float weight) {
    this.numItems = numItems;
    this.cols = cols;
    this.vals = vals;
    this.lambda = lambda;
    this.weight = weight;
  }

  /**
   * Fits the block on the training split, choosing λ by validation NDCG@10 of the block alone; null when
   * there are more than {@link #MAX_ITEMS} trained items or no training pairs.
   */
  static ItemToItemBlock train(TrainingData data, Evaluator evaluator, List<EvalUser> validation) {
    int n = data.schema.numItems();
    int[] trainedIdx = IntStream.range(0, n).filter(i -> data.trained[i]).toArray();
    if (trainedIdx.length == 0 || trainedIdx.length > MAX_ITEMS) {
      return null;
    }
    double[][] gram = gram(data, trainedIdx, n);
    double meanCount = 0;
    for (int k = 0; k < trainedIdx.length; k++) {
      meanCount += gram[k][k] / trainedIdx.length;
    }
    ItemToItemBlock best = null;
    double bestNdcg = Double.NEGATIVE_INFINITY;
    for (double scale : LAMBDA_SCALES) {
      ItemToItemBlock b = fit(gram, trainedIdx, n, scale * meanCount);
      double ndcg = validation.isEmpty() ? 0 : evaluator.evaluate(b::scoreUsers, validation).get("ndcg@10");
      if (ndcg > bestNdcg) {
        bestNdcg = ndcg;
        best = b;
      }
      if (validation.isEmpty()) {
        break;
      }
    }
    return best;
  }

  /** XᵀX over the trained items (rows and columns in {@code trainedIdx} order). */
  private static double[][] gram(TrainingData data, int[] trainedIdx, int numItems) {
    int[] local = new int[numItems];
    Arrays.fill(local, -1);
    for (int k = 0; k < trainedIdx.length; k++) {
      local[trainedIdx[k]] = k;
    }
    double[][] g = new double[trainedIdx.length][trainedIdx.length];
    for (List<Step> seq : data.sequences) {
      BitSet seen = new BitSet(numItems);
      for (Step s : seq) {
        seen.set(s.item());
      }
      int[] items = seen.stream().map(i -> local[i]).filter(k -> k >= 0).toArray();
      for (int a : items) {
        for (int b : items) {
          g[a][b] += 1;
        }
      }
    }
    return g;
  }

  private static ItemToItemBlock fit(double[][] gram, int[] trainedIdx, int numItems, double lambda) {
    int m = trainedIdx.length;
    double[][] a = new double[m][];
    for (int k = 0; k < m; k++) {
      a[k] = gram[k].clone();
      a[k][k] += lambda;
    }
    double[][] p = SymmetricInverse.invert(a);
    int[][] cols = new int[numItems][];
    float[][] vals = new float[numItems][];
    IntStream.range(0, m).parallel().forEach(j -> {
      float[] row = new float[m];
      for (int i = 0; i < m; i++) {
        row[i] = i == j ? 0f : (float) (-p[j][i] / p[i][i]);
      }
      keepLargest(row, trainedIdx, j, cols, vals);
    });
    return new ItemToItemBlock(numItems, cols, vals, lambda, 1f);
  }

  /** Stores the {@link #ROW_NONZEROS} largest |weights| of a dense row as item trainedIdx[j]'s sparse row. */
  private static void keepLargest(float[] row, int[] trainedIdx, int j, int[][] cols, float[][] vals) {
    int keep = Math.min(ROW_NONZEROS, row.length);
    Integer[] order = new Integer[row.length];
    for (int i = 0; i < row.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (x, y) -> Float.compare(Math.abs(row[y]), Math.abs(row[x])));
    // trainedIdx is ascending, so sorting the kept local indices sorts their item ids too
    int[] local = new int[keep];
    for (int k = 0; k < keep; k++) {
      local[k] = order[k];
    }
    Arrays.sort(local);
    int[] c = new int[keep];
    float[] v = new float[keep];
    for (int k = 0; k < keep; k++) {
      c[k] = trainedIdx[local[k]];
      v[k] = row[local[k]];
    }
    cols[trainedIdx[j]] = c;
    vals[trainedIdx[j]] = v;
  }

  /** The same rows (shared, never modified) with a weight of its own. */
  ItemToItemBlock copy() {
    return new ItemToItemBlock(numItems, cols, vals, lambda, weight);
  }

  double lambda() {
    return lambda;
  }

  float weight() {
    return weight;
  }

  void weight(float value) {
    if (!(value >= 0) || !Float.isFinite(value)) {
      throw new IllegalArgumentException("item-to-item weight must be finite and >= 0, got " + value);
    }
    weight = value;
  }

  /** Unweighted scores of every item for a history (distinct items count once; unknown indices skipped). */
  float[] rawScores(Collection<Integer> history) {
    float[] s = new float[numItems];
    BitSet seen = new BitSet(numItems);
    for (int j : history) {
      if (j < 0 || j >= numItems || seen.get(j) || cols[j] == null) {
        continue;
      }
      seen.set(j);
      int[] c = cols[j];
      float[] v = vals[j];
      for (int k = 0; k < c.length; k++) {
        s[c[k]] += v[k];
      }
    }
    return s;
  }

  /** {@code w·Σ_j B[j, item]} over the distinct history items. */
  float score(int[] distinctHistory, int item) {
    if (weight == 0f || item < 0 || item >= numItems) {
      return 0f;
    }
    float s = 0;
    for (int j : distinctHistory) {
      if (j >= 0 && j < numItems && cols[j] != null) {
        int k = Arrays.binarySearch(cols[j], item);
        if (k >= 0) {
          s += vals[j][k];
        }
      }
    }
    return weight * s;
  }

  private float[][] scoreUsers(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    for (int k = 0; k < out.length; k++) {
      out[k] = rawScores(users.get(k).history().stream().map(Step::item).toList());
    }
    return out;
  }

  void writeTo(DataOutputStream out) throws IOException {
    out.writeInt(numItems);
    out.writeDouble(lambda);
    out.writeFloat(weight);
    for (int j = 0; j < numItems; j++) {
      int len = cols[j] == null ? -1 : cols[j].length;
      out.writeInt(len);
      for (int k = 0; k < len; k++) {
        out.writeInt(cols[j][k]);
        out.writeFloat(vals[j][k]);
      }
    }
  }

  static ItemToItemBlock readFrom(DataInputStream in, int expectedItems) throws IOException {
    int n = in.readInt();
    if (n != expectedItems) {
      throw new IOException("item-to-item block has " + n + " items, the schema has " + expectedItems);
    }
    double lambda = in.readDouble();
    float weight = in.readFloat();
    int[][] cols = new int[n][];
    float[][] vals = new float[n][];
    for (int j = 0; j < n; j++) {
      int len = in.readInt();
      if (len < -1 || len > n) {
        throw new IOException("item-to-item row " + j + " has a bad length " + len);
      }
      if (len >= 0) {
        cols[j] = new int[len];
        vals[j] = new float[len];
        for (int k = 0; k < len; k++) {
          cols[j][k] = in.readInt();
          vals[j][k] = in.readFloat();
          if (cols[j][k] < 0 || cols[j][k] >= n) {
            throw new IOException("item-to-item row " + j + " names item " + cols[j][k] + " of " + n);
          }
        }
      }
    }
    return new ItemToItemBlock(n, cols, vals, lambda, weight);
  }
}
