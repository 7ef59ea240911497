package dev.facet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The serving half of a trained {@link JointModel} in plain Java: the user tower (attention pooling
 * over the recent history) and the preference head, on weights exported once from the DJL network.
 *
 * <p>A serving call works on one 64-d user vector and at most {@code historyLength} history items;
 * at that size DJL's per-call native-array set-up costs far more than the arithmetic, and the DJL
 * model serializes its callers. This class computes the same forward pass as {@link
 * JointModel#userVector} and {@link JointModel#predictedPreferences} (inference mode, so no dropout)
 * with plain float math on immutable heap arrays: no native memory, no locking, safe for any number
 * of concurrent callers. Training stays on DJL; build a new instance for every trained model.
 */
public final class JointInference {
  private final Schema schema;
  /** The model, for the collaborative part of user vectors (read only, never changes after training). */
  private final JointModel model;
  /** Size of the towers' part of user vectors. */
  private final int dim;
  private final int heads;
  private final int len;
  private final int hidden;
  /** Shared with the model, read only: history items are looked up here as in the DJL path. */
  private final float[][] itemVectors;
  private final int numUsers;
  private final float[] userTable;
  /** (d, P) or null when the model has no profile input. */
  private final float[] profW;
  private final int profileTokens;
  private final int ctxDim;
  private final float[] queryW;
  private final float[] queryB;
  /** (H, L). */
  private final float[] recency;
  /** (H). */
  private final float[] eventScale;
  private final float[] hiddenW;
  private final float[] hiddenB;
  private final float[] outW;
  private final float[] outB;
  /** (d, d) projection of the most recent history item, or null without the recent-item term. */
  private final float[] nextW;
  /** Whether the last user coordinate is the constant 1 that meets the item's popularity bias. */
  private final boolean biasCoordinate;
  /** Size of the attribute-taste block (0 = none) and its first coordinate. */
  private final int tasteDim;
  private final int tasteStart;
  /** (U, k) per-user taste, (k) population mean, (k, P) from the profile or null, (k, k) from the last item and the history mean. */
  private final float[] userTaste;
  private final float[] tasteMean;
  private final float[] profileTasteW;
  private final float[] lastItemTaste;
  private final float[] historyTaste;
  /** (k) or null when the model has no session term. */
  private final float[] sessionTaste;
  private final long sessionGapSeconds;
  /** Whether the deep part of user vectors counts in scores ({@link JointNetwork#deepPartScores()}). */
  private final boolean deepScores;
  /** (V, d) or null when the model has no attribute tokens. */
  private final float[] prefW;
  private final float[] prefB;

  private JointInference(JointModel model) {
    JointNetwork net = model.network();
    JointModelConfig cfg = model.config();
    this.schema = model.schema();
    this.model = model;
    this.dim = cfg.dim();
    this.heads = cfg.heads();
    this.len = cfg.historyLength();
    this.hidden = cfg.hidden();
    this.itemVectors = model.itemVectorTable();
    this.numUsers = Math.max(1, schema.numUsers());
    this.userTable = values(net.getDirectParameters().get("userId"));
    this.recency = values(net.getDirectParameters().get("recencyBias"));
    this.eventScale = values(net.getDirectParameters().get("eventScale"));
    Block prof = child(net, "profProj");
    this.profileTokens = prof == null ? 0 : net.profileTokens();
    this.profW = prof == null ? null : weight(prof);
    this.ctxDim = dim * (prof == null ? 1 : 2);
    Block query = child(net, "query");
    this.queryW = weight(query);
    this.queryB = bias(query);
    Block userHidden = child(net, "userHidden");
    this.hiddenW = weight(userHidden);
    this.hiddenB = bias(userHidden);
    Block userOut = child(net, "userOut");
    this.outW = weight(userOut);
    this.outB = bias(userOut);
    Block next = child(net, "next");
    this.nextW = next == null ? null : weight(next);
    this.biasCoordinate = cfg.biasCoordinate();
    this.tasteDim = net.tasteDim();
    this.tasteStart = net.tasteStart();
    this.deepScores = net.deepPartScores();
    this.sessionGapSeconds = cfg.sessionGapSeconds();
    TasteWeights taste = tasteDim > 0 ? TasteWeights.of(net, tasteDim, numUsers, profileTokens) : TasteWeights.NONE;
    this.userTaste = taste.userTaste();
    this.tasteMean = taste.tasteMean();
    this.lastItemTaste = taste.lastItemTaste();
    this.historyTaste = taste.historyTaste();
    this.sessionTaste = taste.sessionTaste();
    this.profileTasteW = taste.profileTasteW();
    Block pref = child(net, "prefHead");
    this.prefW = pref == null ? null : weight(pref);
    this.prefB = pref == null ? null : bias(pref);
    checkShapes();
  }

  private void checkShapes() {
    check(userTable, (long) numUsers * dim, "userId");
    check(recency, (long) heads * len, "recencyBias");
    check(eventScale, heads, "eventScale");
    check(queryW, (long) heads * dim * ctxDim, "query");
    check(hiddenW, (long) hidden * (ctxDim + (long) heads * dim), "userHidden");
    check(outW, (long) dim * hidden, "userOut");
    if (profW != null) {
      check(profW, (long) dim * profileTokens, "profProj");
    }
    if (nextW != null) {
      check(nextW, (long) dim * dim, "next");
    }
    if (prefW != null) {
      check(prefW, (long) schema.numAttrTokens() * dim, "prefHead");
    }
  }

  /** The taste block's exported weights; all null when the model has none. */
  private record TasteWeights(float[] userTaste, float[] tasteMean, float[] profileTasteW, float[] lastItemTaste,
      float[] historyTaste, float[] sessionTaste) {
    static final TasteWeights NONE = new TasteWeights(null, null, null, null, null, null);

    static TasteWeights of(JointNetwork net, int tasteDim, int numUsers, int profileTokens) {
      float[] userTaste = values(net.getDirectParameters().get("userTaste"));
      float[] tasteMean = values(net.getDirectParameters().get("tasteMean"));
      float[] lastItemTaste = values(net.getDirectParameters().get("lastItemTaste"));
      float[] historyTaste = values(net.getDirectParameters().get("historyTaste"));
      float[] sessionTaste = net.getDirectParameters().contains("sessionTaste")
          ? values(net.getDirectParameters().get("sessionTaste")) : null;
      Block profileTaste = child(net, "profileTaste");
      float[] profileTasteW = profileTaste == null ? null : weight(profileTaste);
      check(userTaste, (long) numUsers * tasteDim, "userTaste");
      check(tasteMean, tasteDim, "tasteMean");
      check(lastItemTaste, (long) tasteDim * tasteDim, "lastItemTaste");
      check(historyTaste, (long) tasteDim * tasteDim, "historyTaste");
      if (sessionTaste != null) {
        check(sessionTaste, tasteDim, "sessionTaste");
      }
      if (profileTasteW != null) {
        check(profileTasteW, (long) tasteDim * profileTokens, "profileTaste");
      }
      return new TasteWeights(userTaste, tasteMean, profileTasteW, lastItemTaste, historyTaste, sessionTaste);
    }
  }

  /** Exports the user tower and preference head of a trained model (a few hundred KB of weights). */
  public static JointInference of(JointModel model) {
    synchronized (model) { // the model's own calls lock it; never read parameters during one
      model.ensureOpen();
      return new JointInference(model);
    }
  }

  /** Size of served user and item vectors (towers, then the collaborative block). */
  public int dim() {
    return model.dim();
  }

  /**
   * User vector from recent events, exactly as {@link JointModel#userVector}: the most recent
   * {@code historyLength} distinct known items (strongest event of each), attention over them, the
   * user-id embedding for known users and the profile bag when given.
   */
  public JointModel.UserVector userVector(String user, List<Interaction> recentHistory, UserProfile profileOrNull) {
    return userVector(user, recentHistory, profileOrNull, null);
  }

  /** The user vector at request time {@code asOf}, exactly as {@link JointModel#userVector(String, List, UserProfile, Instant)}. */
  public JointModel.UserVector userVector(String user, List<Interaction> recentHistory, UserProfile profileOrNull,
      Instant asOf) {
    List<Step> history = Step.history(schema, recentHistory == null ? List.of() : recentHistory);
    int u = user == null ? -1 : schema.user(user);
    int n = Math.min(len, history.size());
    // Positions j = 0 .. n-1 hold the history most recent first, as the DJL path pads it.
    float[][] hist = new float[n][];
    float[] logw = new float[n];
    List<String> used = new ArrayList<>(n);
    for (int j = 0; j < n; j++) {
      Step s = history.get(history.size() - 1 - j);
      hist[j] = itemVectors[s.item()];
      logw[j] = (float) Math.log(s.event().weight());
      used.add(schema.itemIds.get(s.item()));
    }
    float[] ctx = context(u, profileOrNull);
    float[] q = linear(queryW, queryB, ctx, heads * dim);
    float[] x = new float[ctxDim + heads * dim];
    System.arraycopy(ctx, 0, x, 0, ctxDim);
    float[] attention = new float[n];
    attend(q, hist, logw, x, attention);
    float[] out = deepPart(x, u, hist);
    if (tasteDim > 0) {
      float[] session = new float[len];
      if (sessionTaste != null) {
        Step.markSession(history, history.size(), len, sessionGapSeconds, asOf, session, 0);
      }
      System.arraycopy(taste(u, n, hist, session, profileOrNull), 0, out, tasteStart, tasteDim);
    }
    if (biasCoordinate) {
      out[dim - 1] = 1f;
    }
    return new JointModel.UserVector(model.servedUserVector(out, u), Collections.unmodifiableList(used), attention);
  }

  /**
   * The user side of the taste block, as {@link JointNetwork#users}: own + mean + profile + last item +
   * history mean + what the current session's items (flagged in {@code session}) have in common.
   */
  /** The query's context: the user-id embedding (zero for unknown users), then the projected profile bag. */
  private float[] context(int u, UserProfile profileOrNull) {
    float[] ctx = new float[ctxDim];
    if (u >= 0) {
      System.arraycopy(userTable, u * dim, ctx, 0, dim);
    }
    if (profW != null) {
      float[] bag = schema.profileBag(profileOrNull);
      for (int o = 0; o < dim; o++) {
        float s = 0;
        int row = o * profileTokens;
        for (int i = 0; i < profileTokens; i++) {
          s += profW[row + i] * bag[i];
        }
        ctx[dim + o] = s;
      }
    }
    return ctx;
  }

  /** Multi-head attention over the history: pooled heads into {@code x} after the context, mean weights into {@code attention}. */
  private void attend(float[] q, float[][] hist, float[] logw, float[] x, float[] attention) {
    int n = hist.length;
    if (n == 0) {
      return;
    }
    float scale = (float) Math.sqrt(dim);
    float[] w = new float[n];
    for (int h = 0; h < heads; h++) {
      float max = Float.NEGATIVE_INFINITY;
      for (int j = 0; j < n; j++) {
        float dot = 0;
        int qo = h * dim;
        for (int c = 0; c < dim; c++) {
          dot += q[qo + c] * hist[j][c];
        }
        w[j] = dot / scale + recency[h * len + j] + logw[j] * eventScale[h];
        max = Math.max(max, w[j]);
      }
      float sum = 0;
      for (int j = 0; j < n; j++) {
        w[j] = (float) Math.exp(w[j] - max);
        sum += w[j];
      }
      int po = ctxDim + h * dim;
      for (int j = 0; j < n; j++) {
        float a = w[j] / sum;
        attention[j] += a / heads;
        float[] v = hist[j];
        for (int c = 0; c < dim; c++) {
          x[po + c] += a * v[c];
        }
      }
    }
  }

  /** The deep part of the user vector: MLP over context and pooled history, plus the user id and recent-item terms. */
  private float[] deepPart(float[] x, int u, float[][] hist) {
    float[] hid = linear(hiddenW, hiddenB, x, hidden);
    for (int i = 0; i < hid.length; i++) {
      hid[i] = Math.max(0f, hid[i]);
    }
    float[] out = linear(outW, outB, hid, dim);
    if (u >= 0) {
      for (int c = 0; c < dim; c++) {
        out[c] += userTable[u * dim + c];
      }
    }
    if (nextW != null && hist.length > 0) { // the recent-item term: W_next · (most recent item), nothing without history
      float[] last = linear(nextW, null, hist[0], dim);
      for (int c = 0; c < dim; c++) {
        out[c] += last[c];
      }
    }
    if (!deepScores) {
      Arrays.fill(out, 0, tasteStart, 0f);
    }
    return out;
  }

  private float[] taste(int u, int n, float[][] hist, float[] session, UserProfile profileOrNull) {
    int k = tasteDim;
    float[] t = tasteMean.clone();
    if (u >= 0) {
      for (int c = 0; c < k; c++) {
        t[c] += JointNetwork.TASTE_STEP * userTaste[u * k + c];
      }
    }
    if (profileTasteW != null) {
      float[] fromProfile = linear(profileTasteW, null, schema.profileBag(profileOrNull), k);
      for (int c = 0; c < k; c++) {
        t[c] += fromProfile[c];
      }
    }
    if (n > 0) {
      float[] mean = new float[k];
      for (int j = 0; j < n; j++) {
        for (int i = 0; i < k; i++) {
          mean[i] += hist[j][tasteStart + i] / n;
        }
      }
      for (int i = 0; i < k; i++) {
        float last = hist[0][tasteStart + i];
        float avg = mean[i];
        if (last == 0f && avg == 0f) {
          continue;
        }
        int row = i * k; // (k, k) maps are applied as bag · M
        for (int c = 0; c < k; c++) {
          t[c] += last * lastItemTaste[row + c] + avg * historyTaste[row + c];
        }
      }
      if (sessionTaste != null && session[0] == 1f) {
        for (int i = 0; i < k; i++) {
          float common = Float.MAX_VALUE;
          for (int j = 0; j < n && session[j] == 1f; j++) {
            common = Math.min(common, hist[j][tasteStart + i]);
          }
          t[i] += common * sessionTaste[i] * JointNetwork.SESSION_STEP;
        }
      }
    }
    return t;
  }

  /**
   * Preference-head probabilities in {@link #preferenceTokens()} order, softmax within each attribute
   * key, as {@link JointModel#predictedPreferences}; empty when the model has no attribute tokens.
   */
  public double[] preferenceProbabilities(float[] userVector) {
    if (prefW == null) {
      return new double[0];
    }
    return softmaxPerKey(linear(prefW, prefB, model.towersPart(userVector), schema.numAttrTokens()), schema.keyStart);
  }

  /**
   * Softmax within each attribute key's slice of the preference logits ({@code keyStart[k]} to
   * {@code keyStart[k + 1]}), the probabilities both the DJL and the Java path report.
   */
  static double[] softmaxPerKey(float[] logits, int[] keyStart) {
    double[] out = new double[logits.length];
    for (int k = 0; k + 1 < keyStart.length; k++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = keyStart[k]; j < keyStart[k + 1]; j++) {
        max = Math.max(max, logits[j]);
      }
      double sum = 0;
      for (int j = keyStart[k]; j < keyStart[k + 1]; j++) {
        sum += Math.exp(logits[j] - max);
      }
      for (int j = keyStart[k]; j < keyStart[k + 1]; j++) {
        out[j] = Math.exp(logits[j] - max) / sum;
      }
    }
    return out;
  }

  /** The {@code key=value} attribute tokens the preference head scores, in output order. */
  public List<String> preferenceTokens() {
    return prefW == null ? List.of() : schema.attrTokens;
  }

  /** {@link #preferenceProbabilities} keyed by token, the same map {@link JointModel#predictedPreferences} gives. */
  public Map<String, Double> predictedPreferences(float[] userVector) {
    double[] p = preferenceProbabilities(userVector);
    Map<String, Double> out = new LinkedHashMap<>();
    for (int j = 0; j < p.length; j++) {
      out.put(schema.attrTokens.get(j), p[j]);
    }
    return out;
  }

  /** {@code W·x + b} for a row-major {@code (units, x.length)} weight, as DJL's Linear. */
  private static float[] linear(float[] w, float[] b, float[] x, int units) {
    int in = x.length;
    float[] y = new float[units];
    for (int o = 0; o < units; o++) {
      float s = 0;
      int row = o * in;
      for (int i = 0; i < in; i++) {
        s += w[row + i] * x[i];
      }
      y[o] = s + (b == null ? 0f : b[o]);
    }
    return y;
  }

  /** The child block registered under {@code name} (DJL prefixes child names with their position). */
  private static Block child(JointNetwork net, String name) {
    for (Pair<String, Block> p : net.getChildren()) {
      String key = p.getKey();
      if (key.length() == name.length() + 2 && key.endsWith(name) && Character.isDigit(key.charAt(0))
          && Character.isDigit(key.charAt(1))) {
        return p.getValue();
      }
    }
    return null;
  }

  private static float[] weight(Block linear) {
    return values(linear.getDirectParameters().get("weight"));
  }

  private static float[] bias(Block linear) {
    return linear.getDirectParameters().contains("bias") ? values(linear.getDirectParameters().get("bias")) : null;
  }

  private static float[] values(Parameter p) {
    if (p == null || !p.isInitialized()) {
      throw new IllegalStateException("joint model parameter " + (p == null ? "?" : p.getName()) + " is missing");
    }
    NDArray a = p.getArray();
    return a.toFloatArray();
  }

  private static void check(float[] values, long expected, String what) {
    if (values == null || values.length != expected) {
      throw new IllegalStateException("joint model parameter " + what + " has " + (values == null ? 0 : values.length)
          + " values, expected " + expected);
    }
  }
}
