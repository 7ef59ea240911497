package dev.facet.model;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Measurement (test scope) behind the joint model's item-to-item block: EASE (Steck 2019) alone, pruned to
 * its largest 50/100/200 weights per row, and blended with LightGCN (per-user standardized and raw
 * scores), each weight chosen on validation; test figures under Facet's and MMRec's protocols.
 * {@code EaseProbe DATASET temporal|random seed}
 */
public final class EaseProbe {
  public static void main(String[] args) {
    RecDataset ds = RecBoleDatasetReader.read(Path.of(args[0]));
    long seed = Long.parseLong(args[2]);
    DataSplit split = DataSplit.of(args[1], ds.interactions(), seed);
    Schema schema = Schema.of(ds);
    TrainingData data = new TrainingData(schema, ds, split.train());
    List<EvalUser> val = EvalUser.of(schema, data.sequences, split.valid());
    List<EvalUser> test = EvalUser.of(schema, EvalProtocol.FACET.testHistories(schema, data.sequences, split), split.test());
    List<EvalUser> testM = EvalUser.of(schema, EvalProtocol.MMREC.testHistories(schema, data.sequences, split), split.test());
    Evaluator ev = new Evaluator(schema, data.trained);
    int n = schema.numItems();
    double[][] gram = new double[n][n];
    for (List<Step> seq : data.sequences) {
      int[] items = seq.stream().mapToInt(Step::item).distinct().toArray();
      for (int a : items) for (int b : items) gram[a][b] += 1;
    }
    Scorer best = null; double bestV = -1; double bestL = 0;
    for (double lambda : new double[] {50, 100, 200, 400, 800}) {
      long t0 = System.nanoTime();
      float[][] b = ease(gram, lambda);
      Scorer s = scorer(b);
      double v = ev.evaluate(s, val).get("ndcg@10");
      System.out.printf("ease lambda %.0f val %.4f (%.1fs)%n", lambda, v, (System.nanoTime() - t0) / 1e9);
      if (v > bestV) { bestV = v; best = s; bestL = lambda; }
    }
    report("ease l=" + bestL, best, ev, val, test);
    float[][] full = ease(gram, bestL);
    for (int keep : new int[] {50, 100, 200}) {
      report("ease top" + keep, scorer(prune(full, keep)), ev, val, test);
    }
    Scorer pruned = scorer(prune(full, 100));
    report("ease mmrec", best, ev, val, testM);
    LightGcn lg = new LightGcn(data, LightGcn.Settings.defaults(seed).withL2(1e-3f), ev, val);
    report("lgcn", lg, ev, val, test);
    report("lgcn mmrec", lg, ev, val, testM);
    double bw = 0; double bv = -1;
    for (double w : new double[] {0.1, 0.2, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 5}) {
      double v = ev.evaluate(blend(lg, best, w), val).get("ndcg@10");
      if (v > bv) { bv = v; bw = w; }
    }
    report("lgcn+ease w=" + bw, blend(lg, best, bw), ev, val, test);
    report("lgcn+ease mmrec", blend(lg, best, bw), ev, val, testM);
    bw = 0; bv = -1;
    for (double w : new double[] {0.25, 0.5, 1, 2, 4, 8, 16, 32, 64}) {
      double v = ev.evaluate(raw(lg, pruned, w), val).get("ndcg@10");
      System.out.printf("raw w=%.2f val %.4f%n", w, v);
      if (v > bv) { bv = v; bw = w; }
    }
    report("raw lgcn+ease100 w=" + bw, raw(lg, pruned, bw), ev, val, test);
    report("raw lgcn+ease100 mmrec", raw(lg, pruned, bw), ev, val, testM);
  }

  static Scorer raw(Scorer a, Scorer b, double w) {
    return users -> {
      float[][] x = a.score(users);
      float[][] y = b.score(users);
      for (int k = 0; k < x.length; k++) for (int i = 0; i < x[k].length; i++) x[k][i] += (float) w * y[k][i];
      return x;
    };
  }

  static float[][] prune(float[][] b, int keep) {
    float[][] out = new float[b.length][b.length];
    for (int r = 0; r < b.length; r++) {
      float[] abs = new float[b.length];
      for (int i = 0; i < abs.length; i++) abs[i] = Math.abs(b[r][i]);
      float[] sorted = abs.clone(); java.util.Arrays.sort(sorted);
      float cut = sorted[Math.max(0, sorted.length - keep)];
      for (int i = 0; i < abs.length; i++) if (abs[i] >= cut) out[r][i] = b[r][i];
    }
    return out;
  }

  static Scorer scorer(float[][] b) {
    return users -> {
      float[][] out = new float[users.size()][];
      for (int k = 0; k < out.length; k++) {
        float[] s = new float[b.length];
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (Step st : users.get(k).history()) {
          if (seen.add(st.item())) {
            float[] row = b[st.item()];
            for (int i = 0; i < s.length; i++) s[i] += row[i];
          }
        }
        out[k] = s;
      }
      return out;
    };
  }

  static float[][] ease(double[][] gram, double lambda) {
    int n = gram.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) { a[i] = gram[i].clone(); a[i][i] += lambda; }
    double[][] p = invert(a);
    float[][] b = new float[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) b[i][j] = i == j ? 0f : (float) (-p[i][j] / p[j][j]);
    return b;
  }

  static double[][] invert(double[][] a) {
    int n = a.length;
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) inv[i][i] = 1;
    for (int c = 0; c < n; c++) {
      double piv = a[c][c];
      for (int j = 0; j < n; j++) { a[c][j] /= piv; inv[c][j] /= piv; }
      final int cc = c;
      IntStream.range(0, n).parallel().forEach(r -> {
        if (r == cc) return;
        double f = a[r][cc];
        if (f == 0) return;
        double[] ar = a[r], ac = a[cc], ir = inv[r], ic = inv[cc];
        for (int j = 0; j < n; j++) { ar[j] -= f * ac[j]; ir[j] -= f * ic[j]; }
      });
    }
    return inv;
  }

  /** a + w·b on per-user standardized scores. */
  static Scorer blend(Scorer a, Scorer b, double w) {
    return users -> {
      float[][] x = a.score(users);
      float[][] y = b.score(users);
      for (int k = 0; k < x.length; k++) {
        z(x[k]);
        z(y[k]);
        for (int i = 0; i < x[k].length; i++) {
          x[k][i] += (float) w * y[k][i];
        }
      }
      return x;
    };
  }

  static void z(float[] s) {
    double m = 0;
    double q = 0;
    for (float v : s) {
      m += v;
      q += v * v;
    }
    m /= s.length;
    double sd = Math.sqrt(Math.max(1e-12, q / s.length - m * m));
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) ((s[i] - m) / sd);
    }
  }

  static void report(String name, Scorer s, Evaluator ev, List<EvalUser> val, List<EvalUser> test) {
    Map<String, Double> v = ev.evaluate(s, val);
    Map<String, Double> t = ev.evaluate(s, test);
    System.out.printf("%-28s val ndcg@10 %.4f | test R@20 %.4f ndcg@10 %.4f%n", name, v.get("ndcg@10"), t.get("recall@20"),
        t.get("ndcg@10"));
  }
}
