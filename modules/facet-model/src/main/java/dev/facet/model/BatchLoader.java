package dev.facet.model;

import dev.facet.core.FacetException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Prepares one epoch of batches on a worker thread while the model trains, through a bounded queue.
 * Every (user, position) of the training sequences is one example: the target is the item at that
 * position, the history the items before it (most recent first, at most {@code historyLength}).
 * Batch order and content depend only on the seed, so training is reproducible.
 */
final class BatchLoader implements Iterator<Batch>, AutoCloseable {
  private static final Batch END = new Batch();
  private static final double POPULARITY_POWER = 0.75;
  /** Added to the score of a masked candidate: its softmax weight underflows to exactly 0. */
  static final float MASKED = -1e9f;

  private final TrainingData data;
  private final JointModelConfig cfg;
  private final int[][] hardNeighbours;
  private final NegativeSampler sampler;
  private final double[] dataProb;
  private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(4);
  private final Thread worker;
  private final int numBatches;
  private final int[] exactItems;
  private volatile boolean closed;
  private Batch next;

  /**
   * @param hardNeighbours per item index, its hard-negative candidates (null rows or null = none)
   */
  BatchLoader(TrainingData data, JointModelConfig cfg, long epochSeed, int[][] hardNeighbours) {
    this.data = data;
    this.cfg = cfg;
    this.hardNeighbours = hardNeighbours;
    this.sampler = NegativeSampler.popularity(data.counts, POPULARITY_POWER);
    this.exactItems = exactCandidates(data, cfg);
    long total = 0;
    for (long c : data.counts) {
      total += c;
    }
    dataProb = new double[data.counts.length];
    for (int i = 0; i < dataProb.length; i++) {
      dataProb[i] = total == 0 ? 0 : (double) data.counts[i] / total;
    }
    List<long[]> examples = new ArrayList<>(data.numExamples());
    for (int u = 0; u < data.sequences.size(); u++) {
      for (int t = 0; t < data.sequences.get(u).size(); t++) {
        examples.add(new long[] {u, t});
      }
    }
    Random rnd = new Random(epochSeed);
    Collections.shuffle(examples, rnd);
    int bs = cfg.batchSize();
    numBatches = examples.size() / bs + (examples.size() % bs >= 2 ? 1 : 0);
    worker = new Thread(() -> produce(examples, rnd), "facet-batch-loader");
    worker.setDaemon(true);
    worker.start();
  }

  int numBatches() {
    return numBatches;
  }

  /**
   * The items of the exact softmax (every item with training interactions, in index order) when the
   * configuration asks for it and the catalog is small enough; null for the sampled softmax. Batches of
   * an exact loader address these items by their position here and carry no per-item features.
   */
  static int[] exactCandidates(TrainingData data, JointModelConfig cfg) {
    if (cfg.loss() != LossType.SOFTMAX || cfg.exactSoftmaxItems() <= 0) {
      return null;
    }
    int[] trained = java.util.stream.IntStream.range(0, data.trained.length).filter(i -> data.trained[i]).toArray();
    return trained.length <= cfg.exactSoftmaxItems() ? trained : null;
  }

  private void produce(List<long[]> examples, Random rnd) {
    try {
      int[] localOf = new int[data.schema.numItems()];
      Arrays.fill(localOf, -1);
      int bs = cfg.batchSize();
      for (int b = 0; b < numBatches && !closed; b++) {
        List<long[]> chunk = examples.subList(b * bs, Math.min(examples.size(), (b + 1) * bs));
        Batch batch = build(chunk, rnd, localOf);
        while (!closed && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
          // wait for the trainer
        }
      }
      put(END);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      put(e);
    }
  }

  private void put(Object o) {
    try {
      while (!closed && !queue.offer(o, 100, TimeUnit.MILLISECONDS)) {
        // wait
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Builds a batch from examples (package-private for tests and the trainer's raw-throughput probe). */
  Batch build(List<long[]> chunk, Random rnd, int[] localOf) {
    int bsz = chunk.size();
    int len = cfg.historyLength();
    Batch bt = allocate(bsz, len);
    List<Integer> items = new ArrayList<>();
    int[] targets = new int[bsz];
    if (exactItems != null) {
      for (int item : exactItems) {
        local(item, localOf, items); // local index == position in exactItems
      }
    }
    for (int r = 0; r < bsz; r++) {
      targets[r] = row(bt, r, (int) chunk.get(r)[0], (int) chunk.get(r)[1], rnd, localOf, items);
    }
    if (exactItems != null) {
      exactColumns(bt, bsz, len);
    } else {
      sampledCandidates(bt, bsz, targets, rnd, localOf, items);
    }
    itemInputs(bt, items, rnd, localOf);
    bt.alignLocal = alignable(bt, targets, items.size());
    return bt;
  }

  private Batch allocate(int bsz, int len) {
    Batch bt = new Batch();
    bt.size = bsz;
    bt.historyLength = len;
    bt.users = new int[bsz];
    bt.userIdMask = new float[bsz];
    bt.profile = new float[bsz * Math.max(1, data.schema.numProfileTokens())];
    bt.histLocal = new int[bsz * len];
    bt.histMask = new float[bsz * len];
    bt.histLogW = new float[bsz * len];
    bt.histSession = new float[bsz * len];
    bt.targetLocal = new int[bsz];
    bt.weights = new float[bsz];
    bt.tastePrior = new float[bsz];
    bt.preference = new float[bsz * Math.max(1, data.schema.numAttrTokens())];
    return bt;
  }

  /** Fills row {@code r} with user {@code u}'s example at position {@code t}; returns the target item. */
  private int row(Batch bt, int r, int u, int t, Random rnd, int[] localOf, List<Integer> items) {
    int len = bt.historyLength;
    int p = data.schema.numProfileTokens();
    int va = data.schema.numAttrTokens();
    List<Step> seq = data.sequences.get(u);
    bt.users[r] = u;
    bt.userIdMask[r] = rnd.nextFloat() < cfg.userIdDropout() ? 0f : 1f;
    if (p > 0) {
      System.arraycopy(data.profile[u], 0, bt.profile, r * p, p);
    }
    if (va > 0) {
      System.arraycopy(data.preference[u], 0, bt.preference, r * va, va);
    }
    for (int j = 0; j < len && t - 1 - j >= 0; j++) {
      Step s = seq.get(t - 1 - j);
      bt.histLocal[r * len + j] = local(s.item(), localOf, items);
      bt.histMask[r * len + j] = 1f;
      bt.histLogW[r * len + j] = (float) Math.log(s.event().weight());
    }
    // the example is "what comes next at the time it came": its session is the one still going then
    Step.markSession(seq, t, len, cfg.sessionGapSeconds(), seq.get(t).ts(), bt.histSession, r * len);
    Step target = seq.get(t);
    bt.targetLocal[r] = local(target.item(), localOf, items);
    bt.weights[r] = cfg.eventWeightedLoss() ? target.event().weight() : 1f;
    bt.tastePrior[r] = 1f / seq.size();
    return target.item();
  }

  /** Per-item inputs: ids, id dropout and (unless the batch is exact) attribute, image and text features. */
  private void itemInputs(Batch bt, List<Integer> items, Random rnd, int[] localOf) {
    int n = items.size();
    bt.items = new int[n];
    bt.itemIdMask = new float[n];
    boolean features = exactItems == null; // an exact batch's items are the trainer's shared item table
    int va = data.schema.numAttrTokens();
    int di = data.schema.imageDim;
    int dt = data.schema.textDim;
    if (features) {
      bt.itemAttr = new float[n * Math.max(1, va)];
      bt.itemImage = new float[n * Math.max(1, di)];
      bt.itemText = new float[n * Math.max(1, dt)];
    }
    for (int l = 0; l < n; l++) {
      int item = items.get(l);
      bt.items[l] = item;
      bt.itemIdMask[l] = data.trained[item] && rnd.nextFloat() >= cfg.idDropout() ? 1f : 0f;
      localOf[item] = -1;
      if (!features) {
        continue;
      }
      if (va > 0) {
        System.arraycopy(data.attrBag[item], 0, bt.itemAttr, l * va, va);
      }
      if (di > 0 && data.image[item] != null) {
        System.arraycopy(data.image[item], 0, bt.itemImage, l * di, di);
      }
      if (dt > 0 && data.text[item] != null) {
        System.arraycopy(data.text[item], 0, bt.itemText, l * dt, dt);
      }
    }
  }

  /** Local indexes of the distinct targets that have both an image and a text (the alignment loss's rows). */
  private int[] alignable(Batch bt, int[] targets, int n) {
    int[] align = new int[targets.length];
    int aligned = 0;
    java.util.BitSet inAlign = new java.util.BitSet(n);
    for (int r = 0; r < targets.length; r++) {
      int item = targets[r];
      if (data.image[item] != null && data.text[item] != null && !inAlign.get(bt.targetLocal[r])) {
        inAlign.set(bt.targetLocal[r]);
        align[aligned++] = bt.targetLocal[r];
      }
    }
    return Arrays.copyOf(align, aligned);
  }

  /** Every trained item is a candidate; the row's own history is masked out; no sampling, no log-Q. */
  private void exactColumns(Batch bt, int bsz, int len) {
    int c = exactItems.length;
    bt.candLocal = new int[c];
    for (int j = 0; j < c; j++) {
      bt.candLocal[j] = j;
    }
    bt.logQ = null;
    bt.positives = new float[bsz * c];
    bt.candMask = new float[bsz * c];
    for (int r = 0; r < bsz; r++) {
      bt.positives[r * c + bt.targetLocal[r]] = 1f;
      for (int j = 0; j < len && bt.histMask[r * len + j] > 0; j++) {
        bt.candMask[r * c + bt.histLocal[r * len + j]] = MASKED;
      }
    }
    bt.hard = 0;
    bt.hardLocal = new int[bsz];
  }

  /** Distinct in-batch positives plus popularity-sampled negatives (log-Q per column), then hard negatives. */
  private void sampledCandidates(Batch bt, int bsz, int[] targets, Random rnd, int[] localOf, List<Integer> items) {
    List<Integer> cand = new ArrayList<>();
    java.util.Map<Integer, Integer> candIndex = new java.util.HashMap<>();
    for (int target : targets) {
      candIndex.computeIfAbsent(target, k -> { cand.add(k); return cand.size() - 1; });
    }
    for (int s = 0; s < cfg.negatives(); s++) {
      int neg = sampler.next(rnd);
      candIndex.computeIfAbsent(neg, k -> { cand.add(k); return cand.size() - 1; });
    }
    int c = cand.size();
    bt.candLocal = new int[c];
    bt.logQ = new float[c];
    for (int j = 0; j < c; j++) {
      int item = cand.get(j);
      bt.candLocal[j] = local(item, localOf, items);
      double expected = bsz * dataProb[item] + cfg.negatives() * sampler.probability(item);
      bt.logQ[j] = (float) Math.log(Math.max(expected, 1e-12));
    }
    bt.positives = new float[bsz * c];
    for (int r = 0; r < bsz; r++) {
      bt.positives[r * c + candIndex.get(targets[r])] = 1f;
    }
    // hard negatives: neighbours of the positive, never the positive itself
    bt.hard = cfg.hardNegatives();
    bt.hardLocal = new int[bsz * Math.max(1, bt.hard)];
    for (int r = 0; r < bsz && bt.hard > 0; r++) {
      int[] nb = hardNeighbours == null ? null : hardNeighbours[targets[r]];
      for (int h = 0; h < bt.hard; h++) {
        int neg;
        do {
          neg = nb != null && nb.length > 0 ? nb[rnd.nextInt(nb.length)] : sampler.next(rnd);
        } while (neg == targets[r] && data.schema.numItems() > 1);
        bt.hardLocal[r * bt.hard + h] = local(neg, localOf, items);
      }
    }
  }

  private static int local(int item, int[] localOf, List<Integer> items) {
    if (localOf[item] < 0) {
      localOf[item] = items.size();
      items.add(item);
    }
    return localOf[item];
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      try {
        Object o = queue.poll(10, TimeUnit.MINUTES);
        if (o == null) {
          throw new FacetException("batch loader timed out");
        }
        if (o instanceof RuntimeException e) {
          throw new FacetException("batch loader failed: " + e.getMessage(), e);
        }
        next = (Batch) o;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FacetException("interrupted while waiting for a batch", e);
      }
    }
    return next != END;
  }

  @Override
  public Batch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Batch b = next;
    next = null;
    return b;
  }

  @Override
  public void close() {
    closed = true;
    worker.interrupt();
    try {
      worker.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
