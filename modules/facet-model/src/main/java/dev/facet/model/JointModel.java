package dev.facet.model;

import dev.facet.core.VectorMath;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * A trained joint user/item/interaction model: the inference API the engine's recommender calls.
 *
 * <p>Item vectors of all training-time items are computed once (towers in inference mode) and held
 * in memory; {@link #itemVectorFromContent} runs the item tower for a new item without its id
 * embedding (cold start). User vectors run the user tower over the given recent history. Scores are
 * inner products {@code u·v}, so item vectors can go into a maximum-inner-product KNN index.
 *
 * <p>Thread-safe: tower calls are serialized on this instance. Close it to free native memory.
 */
public final class JointModel implements AutoCloseable {
  private static final int CHUNK = 256;

  private final JointModelConfig cfg;
  private final Schema schema;
  private final NDManager manager;
  private final JointNetwork net;
  private final float[][] itemVectors;
  private final boolean[] trained;
  private final boolean ownsNetwork;
  /** Set by {@link #close}; written and read under this model's lock. */
  private boolean closed;
  private final ParameterStore ps;
  /** The collaborative block, or null; see {@link CollaborativeBlock}. */
  private final CollaborativeBlock collab;
  /** The item-to-item re-rank block, or null (off, or too many items to build it). */
  private final ItemToItemBlock itemToItem;
  /** Served item vectors: the towers' vectors with the collaborative part appended. */
  private final float[][] served;

  JointModel(JointModelConfig cfg, Schema schema, NDManager manager, JointNetwork net, float[][] itemVectors,
      boolean[] trained, boolean ownsNetwork, CollaborativeBlock collab, ItemToItemBlock itemToItem) {
    if (itemToItem != null && !cfg.usesItemToItem()) {
      throw new IllegalArgumentException("item-to-item block given to a configuration without one");
    }
    this.itemToItem = itemToItem;
    if (cfg.collaborative() != (collab != null) || collab != null && collab.dim() != cfg.collaborativeDim()) {
      throw new IllegalArgumentException("collaborative block does not match the configuration (collaborativeDim "
          + cfg.collaborativeDim() + ", useId " + cfg.useId() + ")");
    }
    this.collab = collab;
    this.served = new float[itemVectors.length][];
    for (int i = 0; i < itemVectors.length; i++) {
      served[i] = collab == null ? itemVectors[i] : CollaborativeBlock.concat(itemVectors[i], collab.itemPart(trained[i] ? i : -1));
    }
    this.cfg = cfg;
    this.schema = schema;
    this.manager = manager;
    this.net = net;
    this.itemVectors = itemVectors;
    this.trained = trained.clone();
    this.ownsNetwork = ownsNetwork;
    this.ps = new ParameterStore(manager, false);
  }

  /** User vector, the history items it attended over (most recent first) and their attention weights. */
  public record UserVector(float[] vector, List<String> history, float[] attention) {}

  /** The configuration the model was trained with. */
  public JointModelConfig config() {
    return cfg;
  }

  /** Size of served item and user vectors (the towers' coordinates, then the collaborative block's). */
  public int dim() {
    return cfg.vectorDim();
  }

  /** Ids of the items known at training time, in index order. */
  public List<String> itemIds() {
    return schema.itemIds;
  }

  /** Whether the item had training interactions (false = its vector comes from content only). */
  public boolean isTrainedItem(String id) {
    int i = schema.item(id);
    return i >= 0 && trained[i];
  }

  /** Vector of a known item (a copy), or null when the id is unknown. */
  public float[] itemVector(String id) {
    int i = schema.item(id);
    return i < 0 ? null : served[i].clone();
  }

  /** All item vectors by id (copies, insertion order = {@link #itemIds()}). */
  public Map<String, float[]> allItemVectors() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < served.length; i++) {
      out.put(schema.itemIds.get(i), served[i].clone());
    }
    return out;
  }

  /**
   * Item vector from content alone (no id embedding): for items added after training. Attribute
   * values unknown at training time are ignored; vectors of the wrong size are rejected.
   */
  public synchronized float[] itemVectorFromContent(ItemFeatures f) {
    ensureOpen();
    checkDim("image", f.image(), schema.imageDim);
    checkDim("text", f.text(), schema.textDim);
    float[] attr = schema.attributeBag(f.attributes());
    float[] towers = itemVectorsOf(new int[] {0}, new float[] {0f}, new float[][] {attr}, new float[][] {f.image()},
        new float[][] {f.text()})[0];
    return collab == null ? towers : CollaborativeBlock.concat(towers, new float[collab.dim()]);
  }

  /**
   * Item vector of {@code f.id()} from its current content, keeping what training learned about the
   * id: for a trained item the id embedding and the collaborative part stay and only the content
   * towers' inputs (attributes such as the price band, image, text) are read anew; any other item
   * gets {@link #itemVectorFromContent}. For an edited listing of the shop.
   */
  public synchronized float[] itemVectorKeepingId(ItemFeatures f) {
    ensureOpen();
    int i = schema.item(f.id());
    if (i < 0 || !trained[i]) {
      return itemVectorFromContent(f);
    }
    checkDim("image", f.image(), schema.imageDim);
    checkDim("text", f.text(), schema.textDim);
    float[] attr = schema.attributeBag(f.attributes());
    float[] towers = itemVectorsOf(new int[] {i}, new float[] {1f}, new float[][] {attr}, new float[][] {f.image()},
        new float[][] {f.text()})[0];
    return collab == null ? towers : CollaborativeBlock.concat(towers, collab.itemPart(i));
  }

  /**
   * A call after {@link #close} would read freed native memory and could crash the JVM; it fails
   * here instead. Callers hold this model's lock.
   */
  void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("the joint model was closed (replaced by a newer one or shut down)");
    }
  }

  private static void checkDim(String what, float[] v, int dim) {
    if (v != null && v.length != dim) {
      throw new IllegalArgumentException(what + " vector has " + v.length + " dims, the model expects " + dim);
    }
  }

  /**
   * User vector from the user's recent events (any order; the most recent {@code historyLength}
   * distinct known items are used) and optional profile, as seen right after the last event (its
   * session still going). Unknown users get no id embedding; unknown items in the history are skipped.
   */
  public UserVector userVector(String user, List<Interaction> recentHistory, UserProfile profileOrNull) {
    return userVector(user, recentHistory, profileOrNull, null);
  }

  /**
   * {@link #userVector(String, List, UserProfile)} at time {@code asOf} (the request's time; null = right
   * after the last event): the history's last session counts as the current one only while it is
   * still going then, i.e. its last event lies less than {@link JointModelConfig#sessionGapSeconds()} before.
   */
  public synchronized UserVector userVector(String user, List<Interaction> recentHistory, UserProfile profileOrNull,
      Instant asOf) {
    List<Step> history = Step.history(schema, recentHistory == null ? List.of() : recentHistory);
    int u = user == null ? -1 : schema.user(user);
    float[][][] out = userVectors(new int[] {u}, new float[][] {schema.profileBag(profileOrNull)}, List.of(history),
        Collections.singletonList(asOf)); // List.of rejects the null that means "right after the last event"
    List<String> used = new ArrayList<>();
    for (int j = history.size() - 1; j >= 0 && used.size() < cfg.historyLength(); j--) {
      used.add(schema.itemIds.get(history.get(j).item()));
    }
    float[] attn = new float[used.size()];
    System.arraycopy(out[1][0], 0, attn, 0, used.size());
    return new UserVector(servedUserVector(out[0][0], u), Collections.unmodifiableList(used), attn);
  }

  /**
   * Attribute values the user is predicted to like: {@code key=value} to probability, the
   * probabilities of one attribute key summing to 1 (for explanations such as "matches your taste").
   */
  public synchronized Map<String, Double> predictedPreferences(float[] userVector) {
    ensureOpen();
    Map<String, Double> out = new LinkedHashMap<>();
    if (!net.hasAttributes()) {
      return out;
    }
    try (NDManager m = manager.newSubManager()) {
      NDArray u = NativeInputs.of(m, towersPart(userVector), new Shape(1, cfg.dim()));
      double[] p = JointInference.softmaxPerKey(net.preferenceLogits(ps, u, false).toFloatArray(), schema.keyStart);
      for (int j = 0; j < p.length; j++) {
        out.put(schema.attrTokens.get(j), p[j]);
      }
    }
    return out;
  }

  /** Score {@code u·v_item}; NaN when the item is unknown. */
  public double score(float[] userVector, String itemId) {
    int i = schema.item(itemId);
    return i < 0 ? Double.NaN : (float) VectorMath.dot(userVector, served[i]);
  }

  /** Scores of every known item, in {@link #itemIds()} order. */
  public float[] scoreAll(float[] userVector) {
    float[] s = new float[served.length];
    for (int i = 0; i < s.length; i++) {
      s[i] = (float) VectorMath.dot(userVector, served[i]);
    }
    return s;
  }

  /** The towers' coordinates of a served user vector (checked for size). */
  float[] towersPart(float[] userVector) {
    if (userVector.length != dim()) {
      throw new IllegalArgumentException("user vector has " + userVector.length + " dims, the model expects " + dim());
    }
    return userVector.length == cfg.dim() ? userVector : java.util.Arrays.copyOf(userVector, cfg.dim());
  }

  /** A served user vector: the towers' vector of user {@code u} (-1 = unknown) with the collaborative part appended. */
  float[] servedUserVector(float[] towers, int u) {
    return collab == null ? towers : CollaborativeBlock.concat(towers, collab.userPart(u));
  }

  /**
   * The part of the model's score that is not an inner product, for re-ranking the candidates the
   * vectors retrieved: the item-to-item block's {@code w·Σ_j B[j,i]} over the distinct known items of
   * {@code history}; 0 for every item when the model has no such block. A candidate's full score is
   * {@code u·v + rerankTerm(history).applyAsDouble(id)}.
   */
  public ToDoubleFunction<String> rerankTerm(List<Interaction> history) {
    if (itemToItem == null || itemToItem.weight() == 0f || history == null || history.isEmpty()) {
      return id -> 0.0;
    }
    int[] items = history.stream().mapToInt(e -> schema.item(e.item())).filter(i -> i >= 0).distinct().toArray();
    return id -> itemToItem.score(items, schema.item(id));
  }

  /** The item-to-item block, or null. */
  ItemToItemBlock itemToItem() {
    return itemToItem;
  }

  /** The collaborative block, or null. */
  CollaborativeBlock collaborative() {
    return collab;
  }

  /** Writes the model atomically (see {@link JointModelCheckpoint}). */
  public void save(Path file) {
    JointModelCheckpoint.write(file, this, -1, Double.NaN);
  }

  /** Loads a model saved by {@link #save} or by training checkpoints. */
  public static JointModel load(Path file) {
    return JointModelCheckpoint.read(file).model();
  }

  /** Synchronized with the tower calls, so native memory is never freed under a running call. */
  @Override
  public synchronized void close() {
    closed = true;
    if (ownsNetwork) {
      manager.close();
    }
  }

  // ---- package-private plumbing shared with training and evaluation ----

  Schema schema() {
    return schema;
  }

  JointNetwork network() {
    return net;
  }

  float[][] itemVectorTable() {
    return itemVectors;
  }

  boolean[] trainedItems() {
    return trained;
  }

  /** Item tower in inference mode for the given rows. */
  float[][] itemVectorsOf(int[] ids, float[] idMask, float[][] attr, float[][] image, float[][] text) {
    return computeItemVectors(manager, ps, net, schema, ids, idMask, attr, image, text);
  }

  static float[][] computeItemVectors(NDManager parent, ParameterStore ps, JointNetwork net, Schema schema, int[] ids,
      float[] idMask, float[][] attr, float[][] image, float[][] text) {
    int n = ids.length;
    float[][] out = new float[n][];
    for (int from = 0; from < n; from += 4096) {
      int to = Math.min(n, from + 4096);
      int c = to - from;
      try (NDManager m = parent.newSubManager()) {
        int va = Math.max(1, schema.numAttrTokens());
        int di = Math.max(1, net.imageDim());
        int dt = Math.max(1, net.textDim());
        float[] a = new float[c * va];
        float[] im = new float[c * di];
        float[] tx = new float[c * dt];
        for (int r = 0; r < c; r++) {
          if (schema.numAttrTokens() > 0 && attr[from + r] != null) {
            System.arraycopy(attr[from + r], 0, a, r * va, va);
          }
          if (net.imageDim() > 0 && image[from + r] != null) {
            System.arraycopy(image[from + r], 0, im, r * di, di);
          }
          if (net.textDim() > 0 && text[from + r] != null) {
            System.arraycopy(text[from + r], 0, tx, r * dt, dt);
          }
        }
        int[] idc = java.util.Arrays.copyOfRange(ids, from, to);
        float[] mc = java.util.Arrays.copyOfRange(idMask, from, to);
        JointNetwork.ItemOut io = net.items(ps, NativeInputs.of(m, idc), NativeInputs.of(m, mc, new Shape(c, 1)),
            NativeInputs.of(m, a, new Shape(c, va)), NativeInputs.of(m, im, new Shape(c, di)), NativeInputs.of(m, tx, new Shape(c, dt)), false);
        float[] flat = io.vectors().toFloatArray();
        int d = flat.length / c;
        for (int r = 0; r < c; r++) {
          out[from + r] = java.util.Arrays.copyOfRange(flat, r * d, (r + 1) * d);
        }
      }
    }
    return out;
  }

  /** Scores for evaluation users (user tower in inference mode, then inner products). */
  float[][] scoreUsers(List<EvalUser> users, float[][] profiles) {
    int[] idx = new int[users.size()];
    float[][] prof = new float[users.size()][];
    List<List<Step>> hist = new ArrayList<>();
    List<Instant> times = new ArrayList<>();
    for (int k = 0; k < users.size(); k++) {
      idx[k] = users.get(k).userIndex();
      prof[k] = idx[k] >= 0 && profiles != null ? profiles[idx[k]] : new float[schema.numProfileTokens()];
      hist.add(users.get(k).history());
      times.add(users.get(k).asOf());
    }
    float[][] uv = userVectors(idx, prof, hist, times)[0];
    float[][] out = new float[uv.length][];
    for (int k = 0; k < uv.length; k++) {
      out[k] = scoreAll(servedUserVector(uv[k], idx[k]));
      if (itemToItem != null && itemToItem.weight() > 0) {
        float[] extra = itemToItem.rawScores(hist.get(k).stream().map(Step::item).toList());
        for (int i = 0; i < extra.length; i++) {
          out[k][i] += itemToItem.weight() * extra[i];
        }
      }
    }
    return out;
  }

  /**
   * [0] = user vectors, [1] = attention weights (length historyLength) per user; {@code asOf} holds each
   * user's request time (null entries: right after the last event).
   */
  synchronized float[][][] userVectors(int[] users, float[][] profiles, List<List<Step>> histories, List<Instant> asOf) {
    ensureOpen();
    int b = users.length;
    int len = cfg.historyLength();
    int d = cfg.dim();
    int p = Math.max(1, schema.numProfileTokens());
    float[][] vec = new float[b][];
    float[][] att = new float[b][];
    for (int from = 0; from < b; from += CHUNK) {
      int c = Math.min(b, from + CHUNK) - from;
      float[] hist = new float[c * len * d];
      float[] mask = new float[c * len];
      float[] logw = new float[c * len];
      float[] session = new float[c * len];
      int[] uidx = new int[c];
      float[] umask = new float[c];
      float[] prof = new float[c * p];
      for (int r = 0; r < c; r++) {
        int u = users[from + r];
        uidx[r] = Math.max(0, u);
        umask[r] = u >= 0 ? 1f : 0f;
        if (schema.numProfileTokens() > 0 && profiles[from + r] != null) {
          System.arraycopy(profiles[from + r], 0, prof, r * p, p);
        }
        List<Step> h = histories.get(from + r);
        for (int j = 0; j < len && h.size() - 1 - j >= 0; j++) {
          Step s = h.get(h.size() - 1 - j);
          System.arraycopy(itemVectors[s.item()], 0, hist, (r * len + j) * d, d);
          mask[r * len + j] = 1f;
          logw[r * len + j] = (float) Math.log(s.event().weight());
        }
        Step.markSession(h, h.size(), len, cfg.sessionGapSeconds(), asOf.get(from + r), session, r * len);
      }
      try (NDManager m = manager.newSubManager()) {
        JointNetwork.UserOut uo = net.users(ps, NativeInputs.of(m, uidx), NativeInputs.of(m, umask, new Shape(c, 1)),
            NativeInputs.of(m, prof, new Shape(c, p)), NativeInputs.of(m, hist, new Shape(c, len, d)), NativeInputs.of(m, mask, new Shape(c, len)),
            NativeInputs.of(m, logw, new Shape(c, len)), NativeInputs.of(m, session, new Shape(c, len)), false);
        float[] v = uo.vectors().toType(DataType.FLOAT32, false).toFloatArray();
        float[] a = uo.attention().toFloatArray();
        for (int r = 0; r < c; r++) {
          vec[from + r] = java.util.Arrays.copyOfRange(v, r * d, (r + 1) * d);
          att[from + r] = java.util.Arrays.copyOfRange(a, r * len, (r + 1) * len);
        }
      }
    }
    return new float[][][] {vec, att};
  }
}
