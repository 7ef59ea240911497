package dev.facet.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;

/** The terms of the joint loss, as functions of NDArrays (each returns a scalar). */
final class Losses {
  private Losses() {}

  /**
   * Weighted interaction loss over a score matrix.
   *
   * @param scores (B,C) user-candidate scores s(u,i)
   * @param positives (B,C) 1 at each row's positive column, 0 elsewhere (exactly one 1 per row)
   * @param weights (B) example weights (event strength)
   * @param logQ (C) log sampling probability of each candidate, subtracted for {@link LossType#SOFTMAX};
   *     null for none
   */
  static NDArray interaction(NDArray scores, NDArray positives, NDArray weights, LossType type, NDArray logQ) {
    NDArray perRow;
    NDArray negMask = positives.neg().add(1f);
    switch (type) {
      case SOFTMAX -> {
        NDArray s = logQ == null ? scores : scores.sub(logQ.expandDims(0));
        perRow = s.logSoftmax(1).mul(positives).sum(new int[] {1}).neg();
      }
      case BPR -> {
        NDArray pos = scores.mul(positives).sum(new int[] {1}, true);
        NDArray l = Activation.softPlus(scores.sub(pos)).mul(negMask); // -log σ(s⁺ − s⁻) = softplus(s⁻ − s⁺)
        perRow = l.sum(new int[] {1}).div(negMask.sum(new int[] {1}).maximum(1f));
      }
      case BCE -> {
        NDArray pos = scores.mul(positives).sum(new int[] {1});
        NDArray neg = Activation.softPlus(scores).mul(negMask).sum(new int[] {1})
            .div(negMask.sum(new int[] {1}).maximum(1f));
        perRow = Activation.softPlus(pos.neg()).add(neg);
      }
      default -> throw new IllegalArgumentException(type.toString());
    }
    return perRow.mul(weights).sum().div(weights.sum());
  }

  /**
   * Cross-entropy of a target distribution per attribute key: for each key range of {@code keyStart},
   * softmax over that key's tokens against the target weights (which sum to 1 per present key, 0 when
   * the key is absent), summed over keys and averaged over rows.
   */
  static NDArray perKeyCrossEntropy(NDArray logits, NDArray targets, int[] keyStart) {
    NDList terms = new NDList(keyStart.length - 1);
    for (int k = 0; k + 1 < keyStart.length; k++) {
      String slice = ":, " + keyStart[k] + ":" + keyStart[k + 1];
      NDArray t = targets.get(slice);
      terms.add(logits.get(slice).logSoftmax(1).mul(t).sum(new int[] {1}).neg());
    }
    NDArray total = terms.size() == 1 ? terms.head() : NDArrays.stack(terms, 1).sum(new int[] {1});
    return total.mean();
  }

  /**
   * Symmetric InfoNCE between two views of the same rows (image and text of the same items): row i
   * of {@code a} should match row i of {@code b} against every other row, cosine similarity divided
   * by {@code temperature}.
   */
  static NDArray infoNce(NDArray a, NDArray b, float temperature) {
    NDArray an = a.div(a.norm(new int[] {1}, true).add(1e-6f));
    NDArray bn = b.div(b.norm(new int[] {1}, true).add(1e-6f));
    NDArray sim = an.matMul(bn.transpose()).div(NativeInputs.scalar(a.getManager(), temperature));
    NDArray eye = a.getManager().eye((int) a.getShape().get(0));
    NDArray ab = sim.logSoftmax(1).mul(eye).sum(new int[] {1}).neg().mean();
    NDArray ba = sim.logSoftmax(0).mul(eye).sum(new int[] {0}).neg().mean();
    return ab.add(ba).div(NativeInputs.scalar(a.getManager(), 2f));
  }
}
