package dev.facet.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * The joint model's DJL block: item tower, user tower with attention pooling over the history, and
 * the auxiliary heads.
 *
 * <pre>
 * v_i = MLP_item([W_img·img ; W_txt·txt ; E_attr·attrBag ; m_i·e_i]) + m_i·e_i (+ E_attr·attrBag)   (m_i = 0 for cold items)
 * u   = MLP_user([m_u·e_u ; W_prof·profile ; pool_1 .. pool_H]) + m_u·e_u (+ W_next·v_last)
 * pool_h = Σ_j softmax_j(q_h·v_j/√d + r_h[pos_j] + γ_h·log w(event_j)) · v_j,  q = W_q·[e_u ; profile] + b
 * </pre>
 * With {@code biasCoordinate} the last coordinate of every user vector is 1 and that of every item vector
 * is the item's popularity bias (content part + a per-item scalar, dropped for cold items), so
 * {@code u·v} = taste match + bias stays a plain inner product.
 * With {@code tasteBlock} the k = |attribute tokens| coordinates just before the bias coordinate are an
 * explicit attribute taste: the item's attribute bag {@code a_i} on the item side and
 * {@code θ_u = own_u + mean (+ W_prof·profile) + a_last·M_last + mean(a_hist)·M_hist + w_s ⊙ common(session)}
 * on the user side, so {@code u·v} contains {@code θ_u·a_i}, a per-user multinomial logit over attributes.
 * {@code common(session)} holds the attribute tokens every item of the current session shares
 * ({@link Step#markSession}): a shopper who has looked only at rings for the last minutes most likely
 * wants another ring, one who mixed categories gets no such push. Only {@code own_u} is per user (under an
 * L2 prior); unknown users still get the population, profile and session parts.
 * Taste block and bias coordinate together are the wide score; the remaining (deep) coordinates are
 * trained as a residual on it ({@link JointTrainer#loss}); in inference the user vector's deep part is scaled by a fixed 1 or 0,
 * set from validation: the deep part is served only where it improves on the wide score.
 * The optional last term (FPMC-style) makes {@code u·v_i} contain {@code v_last·W_nextᵀ·v_i}: a learned
 * item-to-next-item affinity from the most recent history item (shoppers browse in sessions, so the next
 * item tends to share the last one's category or style).
 * Absent modalities are simply not part of the input (switched off in the config or of size 0);
 * items without a vector of an enabled modality feed zeros.
 */
final class JointNetwork extends AbstractBlock {
  private final JointModelConfig cfg;
  private final int numItems;
  private final int numUsers;
  private final int attrTokens;
  private final int profileTokens;
  private final int imageDim;
  private final int textDim;

  private final Parameter itemId;
  private final Parameter itemBias;
  private final Parameter userId;
  private final Parameter recencyBias;
  private final Parameter eventScale;
  private final Linear imgProj;
  private final Linear txtProj;
  private final Linear attrProj;
  private final Linear itemHidden;
  private final Linear itemOut;
  private final Linear profProj;
  private final Linear query;
  private final Linear userHidden;
  private final Linear userOut;
  private final Linear next;
  private final Linear attrHead;
  private final Linear prefHead;
  /**
   * Coordinates of the attribute-taste block (0 = none); they sit just before the bias coordinate, so
   * {@code tasteStart} is also where the deep part ends.
   */
  private final int tasteDim;
  private final int tasteStart;
  private final Parameter userTaste;
  private final Parameter tasteMean;
  private final Linear profileTaste;
  private final Parameter lastItemTaste;
  private final Parameter historyTaste;
  /** (1,k) weight of each attribute token shared by every item of the current session, or null. */
  private final Parameter sessionTaste;
  /**
   * 1 or 0, not trained: whether the user vector's deep part counts in inference scores. With a taste
   * block the deep part is fitted as a residual on top of the taste score, and validation decides each
   * epoch whether that residual helps (see {@link JointTrainer}); when it does not, served vectors keep
   * only the taste and bias coordinates.
   */
  private final Parameter deepScoreWeight;

  JointNetwork(JointModelConfig cfg, Schema schema) {
    this.cfg = cfg;
    this.numItems = schema.numItems();
    this.numUsers = schema.numUsers();
    this.attrTokens = schema.numAttrTokens();
    this.profileTokens = cfg.useProfile() ? schema.numProfileTokens() : 0;
    this.imageDim = cfg.useImage() ? schema.imageDim : 0;
    this.textDim = cfg.useText() ? schema.textDim : 0;
    int d = cfg.dim();
    itemId = cfg.useId() && !cfg.idBiasOnly() ? addParameter(Parameter.builder().setName("itemId").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(numItems, d)).optInitializer(new NormalInitializer(0.05f)).build()) : null;
    itemBias = cfg.useId() && cfg.biasCoordinate() ? addParameter(Parameter.builder().setName("itemBias")
        .setType(Parameter.Type.WEIGHT).optShape(new Shape(numItems, 1)).optInitializer(new ConstantInitializer(0f))
        .build()) : null;
    userId = addParameter(Parameter.builder().setName("userId").setType(Parameter.Type.WEIGHT)
        .optShape(new Shape(Math.max(1, numUsers), d)).optInitializer(new NormalInitializer(0.05f)).build());
    recencyBias = addParameter(Parameter.builder().setName("recencyBias").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1, cfg.heads(), cfg.historyLength())).optInitializer(new ConstantInitializer(0f)).build());
    eventScale = addParameter(Parameter.builder().setName("eventScale").setType(Parameter.Type.OTHER)
        .optShape(new Shape(1, cfg.heads(), 1)).optInitializer(new ConstantInitializer(1f)).build());
    imgProj = imageDim > 0 ? addChildBlock("imgProj", linear(d, false)) : null;
    txtProj = textDim > 0 ? addChildBlock("txtProj", linear(d, false)) : null;
    attrProj = attrTokens > 0 ? addChildBlock("attrProj", linear(d, false)) : null;
    itemHidden = addChildBlock("itemHidden", linear(cfg.hidden(), true));
    itemOut = addChildBlock("itemOut", linear(d, true));
    profProj = profileTokens > 0 ? addChildBlock("profProj", linear(d, false)) : null;
    query = addChildBlock("query", linear((long) cfg.heads() * d, true));
    userHidden = addChildBlock("userHidden", linear(cfg.hidden(), true));
    userOut = addChildBlock("userOut", linear(d, true));
    next = cfg.recentItemTerm() ? addChildBlock("next", linear(d, false)) : null;
    attrHead = attrTokens > 0 ? addChildBlock("attrHead", linear(attrTokens, true)) : null;
    prefHead = attrTokens > 0 ? addChildBlock("prefHead", linear(attrTokens, true)) : null;
    if (itemContentParts() == 0) {
      throw new IllegalArgumentException("item tower has no input: enable ids or give items content");
    }
    tasteDim = tasteDim(cfg, attrTokens);
    tasteStart = d - (cfg.biasCoordinate() ? 1 : 0) - tasteDim;
    if (tasteDim > 0) {
      deepScoreWeight = addParameter(Parameter.builder().setName("deepScoreWeight").setType(Parameter.Type.WEIGHT)
          .optShape(new Shape(1, 1)).optInitializer(new ConstantInitializer(1f)).optRequiresGrad(false).build());
      userTaste = addParameter(zeros("userTaste", new Shape(Math.max(1, numUsers), tasteDim)));
      tasteMean = addParameter(zeros("tasteMean", new Shape(1, tasteDim)));
      lastItemTaste = addParameter(zeros("lastItemTaste", new Shape(tasteDim, tasteDim)));
      historyTaste = addParameter(zeros("historyTaste", new Shape(tasteDim, tasteDim)));
      sessionTaste = cfg.sessionGapSeconds() > 0 ? addParameter(zeros("sessionTaste", new Shape(1, tasteDim))) : null;
      profileTaste = profileTokens > 0 && cfg.profileTaste() ? addChildBlock("profileTaste", linear(tasteDim, false)) : null;
    } else {
      userTaste = null;
      tasteMean = null;
      lastItemTaste = null;
      historyTaste = null;
      sessionTaste = null;
      deepScoreWeight = null;
      profileTaste = null;
    }
  }

  /**
   * Size of the attribute-taste block: the number of attribute tokens when the configuration asks for
   * the block and the vocabulary leaves at least {@value #MIN_DEEP_DIM} coordinates to the deep part,
   * else 0.
   */
  static int tasteDim(JointModelConfig cfg, int attrTokens) {
    int room = cfg.dim() - (cfg.biasCoordinate() ? 1 : 0) - MIN_DEEP_DIM;
    return cfg.tasteBlock() && attrTokens > 0 && attrTokens <= room ? attrTokens : 0;
  }

  /** Fewest coordinates left to the deep (content, id, session) part of the vectors beside a taste block. */
  static final int MIN_DEEP_DIM = 8;

  /**
   * Scale of the per-user taste parameters. Adam's steps do not depend on a gradient's scale, so a
   * parameter used as {@code 10·x} moves ten times as fast: each user's taste sees only the user's own
   * few dozen examples per epoch yet must reach values of ±2 within an early-stopped run of about ten
   * epochs, while the shared weights keep the configured learning rate.
   */
  static final float TASTE_STEP = 10f;

  /**
   * Scale of the session weights: like {@link #TASTE_STEP}, it lets them reach values of about 2 within
   * an early-stopped run (a focused session is a strong signal) at the shared learning rate.
   */
  static final float SESSION_STEP = 10f;

  /**
   * (B,k) the attribute tokens every item of the current session has: the minimum of the session
   * positions' bags (weights in [0, 1]), 0 for a row without history.
   */
  static NDArray sessionCommonBag(NDArray histBags, NDArray histSession) {
    NDArray inSession = histSession.expandDims(2); // (B,L,1)
    // positions outside the session must not lower the minimum: they count as "has every token"
    NDArray outside = inSession.neg().add(1f);
    return histBags.mul(inSession).add(outside).min(new int[] {1}).mul(histSession.get(":, 0:1"));
  }

  private static Parameter zeros(String name, Shape shape) {
    return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
        .optInitializer(new ConstantInitializer(0f)).build();
  }

  int tasteDim() {
    return tasteDim;
  }

  /** Whether inference user vectors keep their deep part (always true without a taste block). */
  boolean deepPartScores() {
    return deepScoreWeight == null || deepScoreWeight.getArray().getFloat() != 0f;
  }

  /** Sets whether inference user vectors keep their deep part; a no-op without a taste block. */
  void deepPartScores(boolean on) {
    if (deepScoreWeight != null) {
      deepScoreWeight.getArray().set(new NDIndex("..."), on ? 1f : 0f);
    }
  }

  /** First coordinate of the taste block (where the deep part ends). */
  int tasteStart() {
    return tasteStart;
  }

  private static Linear linear(long units, boolean bias) {
    return Linear.builder().setUnits(units).optBias(bias).build();
  }

  /**
   * Whether a network of this configuration on this schema has anything to build item vectors from:
   * id embeddings, or image, text or attribute inputs.
   */
  static boolean hasItemInput(JointModelConfig cfg, Schema schema) {
    return cfg.useId() && !cfg.idBiasOnly() || cfg.useImage() && schema.imageDim > 0
        || cfg.useText() && schema.textDim > 0 || schema.numAttrTokens() > 0;
  }

  private int itemContentParts() {
    return (imgProj != null ? 1 : 0) + (txtProj != null ? 1 : 0) + (attrProj != null ? 1 : 0) + (itemId != null ? 1 : 0);
  }

  /**
   * Starts the per-item biases at the given values (e.g. centred log training popularity, so that the
   * softmax begins at the popularity ranking instead of having to climb to it with Adam-sized steps);
   * a no-op without per-item biases.
   */
  void initItemBias(float[] values) {
    if (itemBias != null) {
      // copied into the parameter's own memory: set(float[]) would make it alias a JVM buffer
      NDArray bias = itemBias.getArray();
      float[] stored = new float[values.length];
      for (int i = 0; i < stored.length; i++) {
        stored[i] = values[i] / cfg.itemBiasStep();
      }
      try (NDArray src = NativeInputs.of(bias.getManager(), stored, bias.getShape())) {
        bias.set(new NDIndex("..."), src);
      }
    }
  }

  int imageDim() {
    return imageDim;
  }

  int textDim() {
    return textDim;
  }

  int profileTokens() {
    return profileTokens;
  }

  boolean hasAttributes() {
    return attrTokens > 0;
  }

  boolean alignsImageText() {
    return imgProj != null && txtProj != null;
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    int d = cfg.dim();
    if (imgProj != null) {
      imgProj.initialize(manager, dataType, new Shape(1, imageDim));
    }
    if (txtProj != null) {
      txtProj.initialize(manager, dataType, new Shape(1, textDim));
    }
    if (attrProj != null) {
      attrProj.initialize(manager, dataType, new Shape(1, attrTokens));
    }
    itemHidden.initialize(manager, dataType, new Shape(1, (long) d * itemContentParts()));
    itemOut.initialize(manager, dataType, new Shape(1, cfg.hidden()));
    if (profProj != null) {
      profProj.initialize(manager, dataType, new Shape(1, profileTokens));
    }
    int userIn = d * (profProj != null ? 2 : 1);
    query.initialize(manager, dataType, new Shape(1, userIn));
    userHidden.initialize(manager, dataType, new Shape(1, (long) userIn + (long) cfg.heads() * d));
    userOut.initialize(manager, dataType, new Shape(1, cfg.hidden()));
    if (next != null) {
      next.initialize(manager, dataType, new Shape(1, d));
    }
    if (profileTaste != null) {
      profileTaste.initialize(manager, dataType, new Shape(1, profileTokens));
    }
    if (attrHead != null) {
      attrHead.initialize(manager, dataType, new Shape(1, d));
      prefHead.initialize(manager, dataType, new Shape(1, d));
    }
  }

  /** Inputs: item ids (int), id mask (U,1), attribute bag, image, text (absent parts may be any array). */
  @Override
  protected NDList forwardInternal(ParameterStore ps, NDList in, boolean training, PairList<String, Object> params) {
    ItemOut out = items(ps, in.get(0), in.get(1), in.get(2), in.get(3), in.get(4), training);
    return new NDList(out.vectors);
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), cfg.dim())};
  }

  /** Item vectors plus the projected image and text parts (for alignment; null when absent). */
  record ItemOut(NDArray vectors, NDArray image, NDArray text) {}

  ItemOut items(ParameterStore ps, NDArray ids, NDArray idMask, NDArray attrBag, NDArray img, NDArray txt,
      boolean training) {
    int d = cfg.dim();
    NDList parts = new NDList(4);
    NDArray imgP = null;
    NDArray txtP = null;
    if (imgProj != null) {
      imgP = imgProj.forward(ps, new NDList(img), training).singletonOrThrow();
      parts.add(imgP);
    }
    if (txtProj != null) {
      txtP = txtProj.forward(ps, new NDList(txt), training).singletonOrThrow();
      parts.add(txtP);
    }
    NDArray attrP = null;
    if (attrProj != null) {
      attrP = attrProj.forward(ps, new NDList(attrBag), training).singletonOrThrow();
      parts.add(attrP);
    }
    NDArray id = null;
    if (itemId != null) {
      NDArray table = ps.getValue(itemId, ids.getDevice(), training);
      id = Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow().mul(idMask);
      parts.add(id);
    }
    NDArray x = parts.size() == 1 ? parts.head() : NDArrays.concat(parts, 1);
    NDArray h = Activation.relu(itemHidden.forward(ps, new NDList(x), training).singletonOrThrow());
    h = Dropout.dropout(h, cfg.dropout(), training).singletonOrThrow();
    NDArray v = itemOut.forward(ps, new NDList(h), training).singletonOrThrow();
    if (id != null) {
      v = v.add(id);
    }
    if (attrP != null && cfg.attributeResidual()) {
      v = v.add(attrP);
    }
    if (tasteDim > 0 || cfg.biasCoordinate()) {
      NDList layout = new NDList(v.get(":, :" + tasteStart));
      if (tasteDim > 0) {
        // the item's side of the taste block is its attribute bag itself: u·v then holds θ_u·a_i exactly
        layout.add(attrBag);
      }
      if (cfg.biasCoordinate()) {
        NDArray bias = v.get(":, " + (d - 1) + ":");
        if (itemBias != null) {
          NDArray table = ps.getValue(itemBias, ids.getDevice(), training);
          bias = bias.add(Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow().mul(idMask)
              .mul(NativeInputs.scalar(ids.getManager(), cfg.itemBiasStep())));
        }
        layout.add(bias);
      }
      v = NDArrays.concat(layout, 1);
    }
    return new ItemOut(v, imgP, txtP);
  }

  /**
   * @param vectors user vectors (B,d)
   * @param attention attention weights over the history (B,L), averaged over heads
   * @param ownTaste the per-user part of the taste block (B,k), null without one (for its L2 prior)
   */
  record UserOut(NDArray vectors, NDArray attention, NDArray ownTaste) {}

  /**
   * @param users user indices (B), any valid index where the mask is 0
   * @param userMask (B,1) 1 to use the user-id embedding
   * @param profile (B,P) profile bag (ignored when the model has no profile input)
   * @param hist (B,L,d) item vectors of the history, most recent first
   * @param histMask (B,L) 1 for real positions
   * @param histLogW (B,L) log of the event weight of each position
   * @param histSession (B,L) 1 for positions of the current session ({@link Step#markSession})
   */
  UserOut users(ParameterStore ps, NDArray users, NDArray userMask, NDArray profile, NDArray hist,
      NDArray histMask, NDArray histLogW, NDArray histSession, boolean training) {
    int d = cfg.dim();
    int heads = cfg.heads();
    long b = hist.getShape().get(0);
    long len = hist.getShape().get(1);
    Device dev = hist.getDevice();
    NDArray uid = Embedding.embedding(users, ps.getValue(userId, dev, training), SparseFormat.DENSE)
        .singletonOrThrow().mul(userMask);
    NDArray ctx = uid;
    if (profProj != null) {
      ctx = NDArrays.concat(new NDList(uid, profProj.forward(ps, new NDList(profile), training).singletonOrThrow()), 1);
    }
    NDArray q = query.forward(ps, new NDList(ctx), training).singletonOrThrow().reshape(b, heads, d);
    NDArray logits = q.batchMatMul(hist.transpose(0, 2, 1)).div(NativeInputs.scalar(q.getManager(), (float) Math.sqrt(d))); // (B,H,L)
    if (len != cfg.historyLength()) {
      throw new IllegalArgumentException("history must be padded to " + cfg.historyLength() + ", got " + len);
    }
    // parameters only appear as right-hand operands so that results live in the caller's (batch) manager
    NDArray rec = ps.getValue(recencyBias, dev, training); // (1,H,L)
    NDArray ev = histLogW.expandDims(1).mul(ps.getValue(eventScale, dev, training)); // (B,H,L)
    NDArray maskAdd = histMask.sub(1f).mul(1e9f).expandDims(1);
    NDArray attn = logits.add(rec).add(ev).add(maskAdd).softmax(2); // (B,H,L)
    NDArray hasHist = histMask.sum(new int[] {1}, true).gt(0).toType(DataType.FLOAT32, false); // (B,1)
    NDArray pooled = attn.batchMatMul(hist).reshape(b, (long) heads * d).mul(hasHist);
    NDArray x = NDArrays.concat(new NDList(ctx, pooled), 1);
    NDArray h = Activation.relu(userHidden.forward(ps, new NDList(x), training).singletonOrThrow());
    h = Dropout.dropout(h, cfg.dropout(), training).singletonOrThrow();
    NDArray u = userOut.forward(ps, new NDList(h), training).singletonOrThrow().add(uid);
    if (next != null) {
      NDArray last = hist.get(":, 0, :").mul(histMask.get(":, 0:1")); // most recent item, 0 without history
      u = u.add(next.forward(ps, new NDList(last), training).singletonOrThrow());
    }
    Taste t = tasteDim > 0 ? taste(ps, users, userMask, profile, hist, histMask, histSession, training) : null;
    NDArray own = t == null ? null : t.own();
    NDArray taste = t == null ? null : t.taste();
    if (tasteDim > 0 || cfg.biasCoordinate()) {
      NDArray deep = u.get(":, :" + tasteStart);
      if (!training && deepScoreWeight != null) {
        deep = deep.mul(ps.getValue(deepScoreWeight, dev, false));
      }
      NDList layout = new NDList(deep);
      if (tasteDim > 0) {
        layout.add(taste);
      }
      if (cfg.biasCoordinate()) {
        layout.add(u.getManager().ones(new Shape(b, 1)));
      }
      u = NDArrays.concat(layout, 1);
    }
    return new UserOut(u, attn.mean(new int[] {1}).mul(hasHist), own);
  }

  /** A user's own taste (per user, before the population terms) and the whole taste vector θ_u. */
  private record Taste(NDArray own, NDArray taste) {}

  private Taste taste(ParameterStore ps, NDArray users, NDArray userMask, NDArray profile, NDArray hist,
      NDArray histMask, NDArray histSession, boolean training) {
    Device dev = hist.getDevice();
    // θ_u = own (per user, pulled to 0 by an L2 prior) + population mean (from the profile when known)
    //       + what the last item and the history's mean attribute bag say
    NDArray own = Embedding.embedding(users, ps.getValue(userTaste, dev, training), SparseFormat.DENSE)
        .singletonOrThrow().mul(userMask).mul(NativeInputs.scalar(users.getManager(), TASTE_STEP));
    NDArray taste = own.add(ps.getValue(tasteMean, dev, training));
    if (profileTaste != null) {
      taste = taste.add(profileTaste.forward(ps, new NDList(profile), training).singletonOrThrow());
    }
    NDArray histBags = hist.get(":, :, " + tasteStart + ":" + (tasteStart + tasteDim)); // (B,L,k) = attribute bags
    NDArray lastBag = histBags.get(":, 0, :").mul(histMask.get(":, 0:1"));
    NDArray count = histMask.sum(new int[] {1}, true).maximum(1f);
    NDArray meanBag = histBags.mul(histMask.expandDims(2)).sum(new int[] {1}).div(count);
    taste = taste.add(lastBag.matMul(ps.getValue(lastItemTaste, dev, training)))
        .add(meanBag.matMul(ps.getValue(historyTaste, dev, training)));
    if (sessionTaste != null) {
      taste = taste.add(sessionCommonBag(histBags, histSession)
          .mul(ps.getValue(sessionTaste, dev, training)).mul(NativeInputs.scalar(users.getManager(), SESSION_STEP)));
    }
    return new Taste(own, taste);
  }

  /** Attribute-token logits predicted from item vectors (U, V). */
  NDArray attributeLogits(ParameterStore ps, NDArray itemVectors, boolean training) {
    return attrHead.forward(ps, new NDList(itemVectors), training).singletonOrThrow();
  }

  /** Attribute-preference logits predicted from user vectors (B, V). */
  NDArray preferenceLogits(ParameterStore ps, NDArray userVectors, boolean training) {
    return prefHead.forward(ps, new NDList(userVectors), training).singletonOrThrow();
  }
}
