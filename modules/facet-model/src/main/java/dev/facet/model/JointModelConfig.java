package dev.facet.model;

import dev.facet.core.Device;

/**
 * Hyper-parameters of the joint model and its training. Build with {@link #builder()}; every value is
 * checked at {@link Builder#build()}.
 *
 * @param dim size of item and user vectors
 * @param hidden hidden width of the tower MLPs
 * @param historyLength most recent distinct items the user tower attends over
 * @param heads attention-pooling heads
 * @param dropout dropout inside the towers
 * @param idDropout probability of dropping an item's id embedding in training (teaches cold start)
 * @param userIdDropout probability of dropping the user-id embedding in training (unknown users)
 * @param loss interaction loss
 * @param negatives popularity-sampled negatives shared by a batch (in-batch positives come on top)
 * @param logQCorrection subtract log of the sampling probability in the softmax loss
 * @param exactSoftmaxItems with the {@link LossType#SOFTMAX} loss, when at most this many items have training
 *     interactions the softmax runs over all of them (exact, no sampling, no log-Q) with the example's own
 *     history masked out, which is exactly "which new item comes next"; 0 = always sample
 * @param eventWeightedLoss weight each training target by its event strength (purchase > cart > … > view);
 *     false = every next item counts the same (event strength still steers the user tower's attention)
 * @param hardNegatives hard negatives per example (0 = off)
 * @param lambdaItem weight of the item auxiliary loss (attribute prediction + image–text alignment)
 * @param lambdaUser weight of the user auxiliary loss (attribute-preference prediction)
 * @param useImage feed image vectors to the item tower
 * @param useText feed text vectors to the item tower
 * @param useId use per-item parameters (a {@code dim}-sized id embedding unless {@code idBiasOnly}, and the
 *     bias scalar with {@code biasCoordinate}); both are dropped for cold items
 * @param idBiasOnly the only per-item parameter is the bias scalar: the rest of the item vector comes from
 *     content, which generalizes better on small catalogs (free id embeddings overfit)
 * @param useProfile feed user profile features to the user tower
 * @param biasCoordinate reserve the last coordinate for a popularity bias: 1 in user vectors, the item's bias
 *     in item vectors (a per-item scalar when ids are used, plus a content part)
 * @param itemBiasStep scale of the per-item bias scalar: the bias is stored divided by it and used times it,
 *     so Adam moves it this many times faster than the shared weights (each item's bias only sees that
 *     item's own examples, like a user's taste)
 * @param attributeResidual add the projected attribute bag to the item vector as well (a linear "wide" path
 *     next to the MLP, so taste-times-attribute scores are easy to learn)
 * @param tasteBlock reserve coordinates of both vectors for an explicit attribute taste: the item side is the
 *     item's attribute bag, the user side {@code θ_u} = the user's own taste (a per-user vector under the
 *     {@code tasteL2} prior) + a population mean (moved by the profile with {@code profileTaste}) + learned
 *     maps of the last item's and the history's attribute bags + the session term, so {@code u·v} contains {@code θ_u·a_i}, a per-user
 *     multinomial-logit taste over attributes; used only when the attribute vocabulary leaves room in
 *     {@code dim}
 * @param profileTaste let the profile move the taste block's population mean ({@code W_prof·profile} in
 *     {@code θ_u}); the profile always feeds the user tower's deep part and attention query
 * @param tasteL2 weight of the L2 prior on each user's own taste (once per user and epoch: each of the
 *     user's examples carries 1/their count of it)
 * @param sessionGapSeconds with the taste block, the user's current session is the trailing run of history
 *     items whose first events follow each other by less than this many seconds, provided the last of them
 *     lies less than this before the request (the target's time in training); the attribute tokens all of
 *     them share (its common bag) add a learned per-token weight to {@code θ_u}, so a shopper browsing rings
 *     right now sees rings first; 0 = off
 * @param collaborativeDim size of the collaborative block ({@link CollaborativeBlock}: graph-propagated user and
 *     item embeddings appended to the towers' vectors, weighted by validation); 0 = off; needs {@code useId}
 * @param itemToItem add the item-to-item block ({@link ItemToItemBlock}: EASE weights from each history item,
 *     a re-rank term weighted by validation); needs {@code useId}
 * @param recentItemTerm add a learned projection of the most recent history item to the user vector
 *     (next-item affinity, FPMC-style)
 * @param batchSize examples per step
 * @param epochs maximum epochs
 * @param patience epochs without validation NDCG@10 improvement before stopping
 * @param learningRate peak Adam learning rate
 * @param warmupFraction fraction of all steps used for linear warm-up before cosine decay
 * @param weightDecay L2 weight decay
 * @param clipNorm global gradient-norm clip (0 = off)
 * @param seed seed for initialization, sampling and dropout
 * @param device where to train and infer
 */
public record JointModelConfig(int dim, int hidden, int historyLength, int heads, float dropout,
    float idDropout, float userIdDropout, LossType loss, int negatives, boolean logQCorrection,
    int exactSoftmaxItems, boolean eventWeightedLoss, int hardNegatives, float lambdaItem, float lambdaUser,
    boolean useImage, boolean useText,
    boolean useId, boolean idBiasOnly, boolean useProfile, boolean biasCoordinate, float itemBiasStep,
    boolean attributeResidual, boolean tasteBlock, boolean profileTaste, float tasteL2, long sessionGapSeconds, boolean recentItemTerm,
    int collaborativeDim, boolean itemToItem, int batchSize, int epochs, int patience, float learningRate,
    float warmupFraction, float weightDecay, float clipNorm, long seed, Device device) {

  /** A builder with the defaults (exact softmax on small catalogs, bias coordinate, bias-only item ids, recent-item term). */
  public static Builder builder() {
    return new Builder();
  }

  /** Whether the model has a collaborative block (it is made of per-user and per-item parameters, so ids must be on). */
  public boolean collaborative() {
    return collaborativeDim > 0 && useId;
  }

  /** Whether the model asks for the item-to-item block (per-item weights learned from interactions, so ids must be on). */
  public boolean usesItemToItem() {
    return itemToItem && useId;
  }

  /** Size of served user and item vectors: the towers' {@code dim} plus the collaborative block. */
  public int vectorDim() {
    return dim + (collaborative() ? collaborativeDim : 0);
  }

  /** A builder holding this configuration's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.dim = dim;
    b.hidden = hidden;
    b.historyLength = historyLength;
    b.heads = heads;
    b.dropout = dropout;
    b.idDropout = idDropout;
    b.userIdDropout = userIdDropout;
    b.loss = loss;
    b.negatives = negatives;
    b.logQCorrection = logQCorrection;
    b.exactSoftmaxItems = exactSoftmaxItems;
    b.eventWeightedLoss = eventWeightedLoss;
    b.hardNegatives = hardNegatives;
    b.lambdaItem = lambdaItem;
    b.lambdaUser = lambdaUser;
    b.useImage = useImage;
    b.useText = useText;
    b.useId = useId;
    b.idBiasOnly = idBiasOnly;
    b.useProfile = useProfile;
    b.biasCoordinate = biasCoordinate;
    b.itemBiasStep = itemBiasStep;
    b.attributeResidual = attributeResidual;
    b.tasteBlock = tasteBlock;
    b.profileTaste = profileTaste;
    b.tasteL2 = tasteL2;
    b.sessionGapSeconds = sessionGapSeconds;
    b.recentItemTerm = recentItemTerm;
    b.collaborativeDim = collaborativeDim;
    b.itemToItem = itemToItem;
    b.batchSize = batchSize;
    b.epochs = epochs;
    b.patience = patience;
    b.learningRate = learningRate;
    b.warmupFraction = warmupFraction;
    b.weightDecay = weightDecay;
    b.clipNorm = clipNorm;
    b.seed = seed;
    b.device = device;
    return b;
  }

  /** Mutable builder; see the record components for meanings. */
  public static final class Builder {
    private int dim = 64;
    // small towers: on the sample catalog hidden 128 → 32 raised Recall@20 from 0.40 to 0.43 (mean of
    // 3 seeds; the taste block carries the per-user attribute match, wide towers mostly overfit)
    private int hidden = 32;
    private int historyLength = 50;
    private int heads = 2;
    private float dropout = 0.1f;
    private float idDropout = 0.15f;
    private float userIdDropout = 0.1f;
    private LossType loss = LossType.SOFTMAX;
    private int negatives = 256;
    private boolean logQCorrection = true;
    private int exactSoftmaxItems = 4096;
    // catalog-samples, taste + bias only, mean of 3 seeds: Recall@20 0.441 weighted, 0.458 unweighted; the task is
    // "which item comes next", whatever the event; event strength still steers the attention pooling
    private boolean eventWeightedLoss = false;
    private int hardNegatives = 0;
    private float lambdaItem = 0.1f;
    private float lambdaUser = 0.1f;
    private boolean useImage = true;
    private boolean useText = true;
    private boolean useId = true;
    private boolean idBiasOnly = true;
    private boolean useProfile = true;
    private boolean biasCoordinate = true;
    // catalog-samples, mean of 3 seeds, Recall@20 (NDCG@10) with steps 1 / 3 / 4 / 6 / 10: 0.491 (0.201) /
    // 0.491 (0.203) / 0.494 (0.201) / 0.497 (0.204) / 0.488 (0.203); a numpy reference of the wide score
    // also gained most at 3-5. The bias starts at centred log popularity
    private float itemBiasStep = 6f;
    private boolean attributeResidual = true;
    private boolean tasteBlock = true;
    // catalog-samples with the session term, mean of 3 seeds: Recall@20 0.465 with the profile in the taste
    // block, 0.480 without (the profile stays in the deep part and the attention query)
    private boolean profileTaste = false;
    // per user (see JointTrainer#loss); taste + bias only on catalog-samples, 0.05 / 0.15 / 0.5 gave Recall@20
    // 0.460 / 0.468 / 0.459 (mean of 3 seeds; 5 gave 0.41)
    private float tasteL2 = 0.15f;
    // 30 minutes, the usual web-analytics session timeout
    private long sessionGapSeconds = 1800;
    private boolean recentItemTerm = true;
    private int collaborativeDim = 64;
    private boolean itemToItem = true;
    private int batchSize = 256;
    // the cosine decay spans the whole budget: over 12 epochs it anneals within the run that early stopping
    // keeps (catalog-samples, mean of 3 seeds: Recall@20 0.480 with 30 epochs, 0.491 with 12)
    private int epochs = 12;
    private int patience = 3;
    private float learningRate = 2e-3f;
    private float warmupFraction = 0.05f;
    private float weightDecay = 0f;
    private float clipNorm = 5f;
    private long seed = 42L;
    private Device device = Device.AUTO;

    private Builder() {}

    public Builder dim(int v) { dim = v; return this; }
    public Builder hidden(int v) { hidden = v; return this; }
    public Builder historyLength(int v) { historyLength = v; return this; }
    public Builder heads(int v) { heads = v; return this; }
    public Builder dropout(float v) { dropout = v; return this; }
    public Builder idDropout(float v) { idDropout = v; return this; }
    public Builder userIdDropout(float v) { userIdDropout = v; return this; }
    public Builder loss(LossType v) { loss = v; return this; }
    public Builder negatives(int v) { negatives = v; return this; }
    public Builder logQCorrection(boolean v) { logQCorrection = v; return this; }
    public Builder exactSoftmaxItems(int v) { exactSoftmaxItems = v; return this; }
    public Builder eventWeightedLoss(boolean v) { eventWeightedLoss = v; return this; }
    public Builder hardNegatives(int v) { hardNegatives = v; return this; }
    public Builder lambdaItem(float v) { lambdaItem = v; return this; }
    public Builder lambdaUser(float v) { lambdaUser = v; return this; }
    public Builder useImage(boolean v) { useImage = v; return this; }
    public Builder useText(boolean v) { useText = v; return this; }
    public Builder useId(boolean v) { useId = v; return this; }
    public Builder idBiasOnly(boolean v) { idBiasOnly = v; return this; }
    public Builder useProfile(boolean v) { useProfile = v; return this; }
    public Builder biasCoordinate(boolean v) { biasCoordinate = v; return this; }
    public Builder itemBiasStep(float v) { itemBiasStep = v; return this; }
    public Builder attributeResidual(boolean v) { attributeResidual = v; return this; }
    public Builder tasteBlock(boolean v) { tasteBlock = v; return this; }
    public Builder profileTaste(boolean v) { profileTaste = v; return this; }
    public Builder tasteL2(float v) { tasteL2 = v; return this; }
    public Builder sessionGapSeconds(long v) { sessionGapSeconds = v; return this; }
    public Builder recentItemTerm(boolean v) { recentItemTerm = v; return this; }
    public Builder collaborativeDim(int v) { collaborativeDim = v; return this; }
    public Builder itemToItem(boolean v) { itemToItem = v; return this; }
    public Builder batchSize(int v) { batchSize = v; return this; }
    public Builder epochs(int v) { epochs = v; return this; }
    public Builder patience(int v) { patience = v; return this; }
    public Builder learningRate(float v) { learningRate = v; return this; }
    public Builder warmupFraction(float v) { warmupFraction = v; return this; }
    public Builder weightDecay(float v) { weightDecay = v; return this; }
    public Builder clipNorm(float v) { clipNorm = v; return this; }
    public Builder seed(long v) { seed = v; return this; }
    public Builder device(Device v) { device = v; return this; }

    /** Checks every value and builds the configuration. */
    public JointModelConfig build() {
      require(dim >= (biasCoordinate ? 2 : 1) && hidden >= 1, "dim must be >= 1 (2 with the bias coordinate), hidden >= 1");
      require(historyLength >= 1 && heads >= 1, "historyLength and heads must be >= 1");
      require(inUnit(dropout) && inUnit(idDropout) && inUnit(userIdDropout), "dropouts must be in [0, 1)");
      require(negatives >= 0 && hardNegatives >= 0 && exactSoftmaxItems >= 0, "negative counts must be >= 0");
      require(lambdaItem >= 0 && lambdaUser >= 0 && tasteL2 >= 0, "lambdas and tasteL2 must be >= 0");
      require(sessionGapSeconds >= 0, "sessionGapSeconds must be >= 0");
      require(collaborativeDim >= 0, "collaborativeDim must be >= 0");
      require(itemBiasStep > 0 && Float.isFinite(itemBiasStep), "itemBiasStep must be > 0");
      require(batchSize >= 2 && epochs >= 1 && patience >= 1, "batchSize >= 2, epochs >= 1, patience >= 1");
      require(learningRate > 0 && warmupFraction >= 0 && warmupFraction < 1, "learningRate > 0, warmupFraction in [0,1)");
      require(weightDecay >= 0 && clipNorm >= 0, "weightDecay and clipNorm must be >= 0");
      require(loss != null && device != null, "loss and device are required");
      return new JointModelConfig(dim, hidden, historyLength, heads, dropout, idDropout, userIdDropout,
          loss, negatives, logQCorrection, exactSoftmaxItems, eventWeightedLoss, hardNegatives, lambdaItem, lambdaUser, useImage, useText,
          useId, idBiasOnly, useProfile, biasCoordinate, itemBiasStep, attributeResidual, tasteBlock, profileTaste, tasteL2, sessionGapSeconds, recentItemTerm, collaborativeDim, itemToItem, batchSize, epochs, patience, learningRate,
          warmupFraction, weightDecay,
          clipNorm, seed, device);
    }

    private static boolean inUnit(float v) {
      return v >= 0 && v < 1;
    }

    private static void require(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException("joint model config: " + message);
      }
    }
  }
}
