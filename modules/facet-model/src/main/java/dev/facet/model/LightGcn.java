package dev.facet.model;

import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * LightGCN (He et al., SIGIR 2020): user and item embeddings propagated over the normalized
 * user–item graph, {@code E(k+1) = Â·E(k)} with {@code Â = D^-½·A·D^-½}, the final embedding the mean
 * of layers 0..K, trained with BPR on (user, positive, uniform unseen negative) triples and an L2 prior
 * on the layer-0 embeddings of each batch, Adam, plain Java, seeded and deterministic (the sparse
 * products split by rows, so the result does not depend on thread timing).
 *
 * <p>The epoch budget follows the dataset's size rather than a constant: the batch holds about a
 * fiftieth of the training pairs (so a catalog of any size takes about fifty steps an epoch), and
 * training stops when validation NDCG@10, checked every {@link Settings#evalEvery} epochs, has not
 * improved for {@link Settings#patience} checks; the best check's embeddings are kept. Nodes without a
 * training edge get a zero final embedding (no evidence, no score).
 *
 * <p>Used as the {@code lightgcn} baseline of {@link EvaluationRunner} and as the collaborative block
 * of the joint model.
 */
final class LightGcn implements Scorer {
  /**
   * @param dim embedding size
   * @param layers propagation layers K
   * @param learningRate Adam step size
   * @param l2 weight of the L2 prior on a batch's layer-0 embeddings (per example)
   * @param maxEpochs epoch budget
   * @param evalEvery epochs between validation checks
   * @param patience checks without improvement before stopping
   * @param seed initialization and sampling seed
   */
  record Settings(int dim, int layers, float learningRate, float l2, int maxEpochs, int evalEvery, int patience,
      long seed) {
    Settings {
      if (dim < 1 || layers < 0 || learningRate <= 0 || l2 < 0 || maxEpochs < 1 || evalEvery < 1 || patience < 1) {
        throw new IllegalArgumentException("lightgcn settings out of range: " + this);
      }
    }

    static Settings defaults(long seed) {
      return new Settings(64, 3, 5e-3f, 1e-4f, 400, 5, 4, seed);
    }

    Settings withL2(float value) {
      return new Settings(dim, layers, learningRate, value, maxEpochs, evalEvery, patience, seed);
    }

    Settings withDim(int value) {
      return new Settings(value, layers, learningRate, l2, maxEpochs, evalEvery, patience, seed);
    }
  }

  private static final int STEPS_PER_EPOCH = 50;
  private static final int MIN_BATCH = 256;

  private final Settings settings;
  private final int numUsers;
  private final int numItems;
  private final int dim;
  /** Final (propagated, layer-averaged) embeddings: users first, then items. */
  private final float[] finalEmb;
  private int bestEpoch;
  private double bestValidation = -1;

  LightGcn(TrainingData data, Settings settings, Evaluator evaluator, List<EvalUser> validation) {
    this.settings = settings;
    this.numUsers = data.schema.numUsers();
    this.numItems = data.schema.numItems();
    this.dim = settings.dim();
    Graph graph = Graph.of(data, numUsers, numItems);
    float[] ego = init(new Random(settings.seed()), (numUsers + numItems) * dim);
    finalEmb = new float[ego.length];
    if (graph.pairs.length == 0) {
      return;
    }
    train(graph, ego, evaluator, validation);
  }

  int bestEpoch() {
    return bestEpoch;
  }

  double bestValidationNdcg10() {
    return bestValidation;
  }

  Settings settings() {
    return settings;
  }

  /** A copy of the final embedding of user {@code u}. */
  float[] userVector(int u) {
    return Arrays.copyOfRange(finalEmb, u * dim, (u + 1) * dim);
  }

  /** A copy of the final embedding of item {@code i}. */
  float[] itemVector(int i) {
    int row = numUsers + i;
    return Arrays.copyOfRange(finalEmb, row * dim, (row + 1) * dim);
  }

  int dim() {
    return dim;
  }

  private void train(Graph graph, float[] ego, Evaluator evaluator, List<EvalUser> validation) {
    Random rnd = new Random(settings.seed() * 7919 + 1);
    int batch = Math.max(MIN_BATCH, graph.pairs.length / STEPS_PER_EPOCH);
    Adam adam = new Adam(ego.length, settings.learningRate());
    float[] grad = new float[ego.length];
    float[] best = null;
    int sinceBest = 0;
    for (int epoch = 1; epoch <= settings.maxEpochs(); epoch++) {
      int[] order = shuffled(graph.pairs.length, rnd);
      for (int from = 0; from < order.length; from += batch) {
        int to = Math.min(order.length, from + batch);
        propagate(graph, ego, finalEmb);
        Arrays.fill(grad, 0f);
        Prior prior = bprGradient(graph, order, from, to, rnd, grad);
        backPropagate(graph, grad);
        prior.addTo(grad, ego, dim);
        adam.step(ego, grad);
      }
      if (epoch % settings.evalEvery() == 0 || epoch == settings.maxEpochs()) {
        propagate(graph, ego, finalEmb);
        zeroUntrained(graph);
        double ndcg = validation.isEmpty() ? 0 : evaluator.evaluate(this, validation).get("ndcg@10");
        if (ndcg > bestValidation) {
          bestValidation = ndcg;
          bestEpoch = epoch;
          best = finalEmb.clone();
          sinceBest = 0;
        } else if (++sinceBest >= settings.patience()) {
          break;
        }
      }
    }
    if (best != null) {
      System.arraycopy(best, 0, finalEmb, 0, best.length);
    }
  }

  /**
   * Accumulates the BPR gradient of examples {@code order[from..to)} with respect to the final embeddings
   * into {@code grad}; returns the L2 prior of the batch, which acts on the layer-0 embeddings and so is
   * added after back-propagation.
   */
  private Prior bprGradient(Graph graph, int[] order, int from, int to, Random rnd, float[] grad) {
    float inv = 1f / (to - from);
    Prior prior = new Prior(settings.l2() * inv);
    for (int n = from; n < to; n++) {
      int p = order[n];
      int u = graph.pairs[p][0];
      int i = graph.pairs[p][1];
      int j = negative(graph, u, rnd);
      int ur = u * dim;
      int ir = (numUsers + i) * dim;
      int jr = (numUsers + j) * dim;
      double x = 0;
      for (int f = 0; f < dim; f++) {
        x += finalEmb[ur + f] * (finalEmb[ir + f] - finalEmb[jr + f]);
      }
      // d(-log σ(x))/dx = -σ(-x)
      float g = (float) (-1 / (1 + Math.exp(x))) * inv;
      for (int f = 0; f < dim; f++) {
        grad[ur + f] += g * (finalEmb[ir + f] - finalEmb[jr + f]);
        grad[ir + f] += g * finalEmb[ur + f];
        grad[jr + f] -= g * finalEmb[ur + f];
      }
      prior.count(u);
      prior.count(numUsers + i);
      prior.count(numUsers + j);
    }
    return prior;
  }

  /** The batch's L2 prior: {@code scale · (times a row was used) · e0} for every row the batch used. */
  private static final class Prior {
    private final float scale;
    private final java.util.TreeMap<Integer, Integer> uses = new java.util.TreeMap<>();

    Prior(float scale) {
      this.scale = scale;
    }

    void count(int row) {
      uses.merge(row, 1, Integer::sum);
    }

    void addTo(float[] grad, float[] ego, int dim) {
      uses.forEach((row, times) -> {
        float c = scale * times;
        for (int f = row * dim, end = f + dim; f < end; f++) {
          grad[f] += c * ego[f];
        }
      });
    }
  }

  private int negative(Graph graph, int u, Random rnd) {
    BitSet seen = graph.seen[u];
    if (seen.cardinality() >= numItems) {
      return rnd.nextInt(numItems);
    }
    int j;
    do {
      j = rnd.nextInt(numItems);
    } while (seen.get(j));
    return j;
  }

  /**
   * Turns a gradient on the final embeddings into one on the layer-0 (ego) embeddings: the final
   * embeddings are {@code mean_k Â^k E0} and {@code Â} is symmetric, so the gradient is propagated the
   * same way, in place.
   */
  private void backPropagate(Graph graph, float[] grad) {
    propagate(graph, grad, grad);
  }

  /** {@code out = mean over k = 0..K of Â^k in}; {@code out} may be {@code in}. */
  private void propagate(Graph graph, float[] in, float[] out) {
    float[] layer = in.clone();
    float[] next = new float[in.length];
    System.arraycopy(in, 0, out, 0, in.length);
    for (int k = 1; k <= settings.layers(); k++) {
      graph.multiply(layer, next, dim);
      for (int x = 0; x < out.length; x++) {
        out[x] += next[x];
      }
      float[] t = layer;
      layer = next;
      next = t;
    }
    float mean = 1f / (settings.layers() + 1);
    for (int x = 0; x < out.length; x++) {
      out[x] *= mean;
    }
  }

  private void zeroUntrained(Graph graph) {
    for (int r = 0; r < numUsers + numItems; r++) {
      if (graph.rowStart[r] == graph.rowStart[r + 1]) {
        Arrays.fill(finalEmb, r * dim, (r + 1) * dim, 0f);
      }
    }
  }

  @Override
  public float[][] score(List<EvalUser> users) {
    float[][] out = new float[users.size()][];
    IntStream.range(0, out.length).parallel().forEach(k -> {
      int u = users.get(k).userIndex();
      float[] s = new float[numItems];
      if (u >= 0 && u < numUsers) {
        int ur = u * dim;
        for (int i = 0; i < numItems; i++) {
          int ir = (numUsers + i) * dim;
          float acc = 0;
          for (int f = 0; f < dim; f++) {
            acc += finalEmb[ur + f] * finalEmb[ir + f];
          }
          s[i] = acc;
        }
      }
      out[k] = s;
    });
    return out;
  }

  private static float[] init(Random rnd, int n) {
    float[] w = new float[n];
    for (int x = 0; x < n; x++) {
      w[x] = (float) (rnd.nextGaussian() * 0.1);
    }
    return w;
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] a = new int[n];
    for (int x = 0; x < n; x++) {
      a[x] = x;
    }
    for (int x = n - 1; x > 0; x--) {
      int y = rnd.nextInt(x + 1);
      int t = a[x];
      a[x] = a[y];
      a[y] = t;
    }
    return a;
  }

  /** Adam over one flat parameter array. */
  private static final class Adam {
    private final float[] m;
    private final float[] v;
    private final float lr;
    private int t;

    Adam(int n, float lr) {
      m = new float[n];
      v = new float[n];
      this.lr = lr;
    }

    void step(float[] w, float[] g) {
      t++;
      double b1 = 0.9;
      double b2 = 0.999;
      float c1 = (float) (1 - Math.pow(b1, t));
      float c2 = (float) (1 - Math.pow(b2, t));
      for (int x = 0; x < w.length; x++) {
        float gx = g[x];
        m[x] = (float) (b1 * m[x] + (1 - b1) * gx);
        v[x] = (float) (b2 * v[x] + (1 - b2) * gx * gx);
        w[x] -= lr * (m[x] / c1) / ((float) Math.sqrt(v[x] / c2) + 1e-8f);
      }
    }
  }

  /** The symmetric normalized user–item graph in CSR form (users 0..U-1, then items). */
  static final class Graph {
    final int[][] pairs;
    final BitSet[] seen;
    final int[] rowStart;
    final int[] col;
    final float[] val;

    private Graph(int[][] pairs, BitSet[] seen, int[] rowStart, int[] col, float[] val) {
      this.pairs = pairs;
      this.seen = seen;
      this.rowStart = rowStart;
      this.col = col;
      this.val = val;
    }

    static Graph of(TrainingData data, int numUsers, int numItems) {
      BitSet[] seen = new BitSet[numUsers];
      int[] degree = new int[numUsers + numItems];
      int edges = 0;
      for (int u = 0; u < numUsers; u++) {
        seen[u] = new BitSet(numItems);
        for (Step s : data.sequences.get(u)) {
          if (!seen[u].get(s.item())) {
            seen[u].set(s.item());
            degree[u]++;
            degree[numUsers + s.item()]++;
            edges++;
          }
        }
      }
      int[][] pairs = new int[edges][];
      int[] rowStart = new int[numUsers + numItems + 1];
      for (int r = 0; r < degree.length; r++) {
        rowStart[r + 1] = rowStart[r] + degree[r];
      }
      int[] fill = Arrays.copyOf(rowStart, degree.length);
      int[] col = new int[2 * edges];
      float[] val = new float[2 * edges];
      int p = 0;
      for (int u = 0; u < numUsers; u++) {
        for (int i = seen[u].nextSetBit(0); i >= 0; i = seen[u].nextSetBit(i + 1)) {
          pairs[p++] = new int[] {u, i};
          int ir = numUsers + i;
          float w = (float) (1 / Math.sqrt((double) degree[u] * degree[ir]));
          col[fill[u]] = ir;
          val[fill[u]++] = w;
          col[fill[ir]] = u;
          val[fill[ir]++] = w;
        }
      }
      return new Graph(pairs, seen, rowStart, col, val);
    }

    /** out = Â·in for row-major (nodes × dim) matrices; rows in parallel, each written by one task. */
    void multiply(float[] in, float[] out, int dim) {
      int rows = rowStart.length - 1;
      int chunk = Math.max(64, rows / 16);
      IntStream.range(0, (rows + chunk - 1) / chunk).parallel().forEach(c -> {
        int end = Math.min(rows, (c + 1) * chunk);
        for (int r = c * chunk; r < end; r++) {
          int o = r * dim;
          Arrays.fill(out, o, o + dim, 0f);
          for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
            float w = val[e];
            int src = col[e] * dim;
            for (int f = 0; f < dim; f++) {
              out[o + f] += w * in[src + f];
            }
          }
        }
      });
    }
  }
}
