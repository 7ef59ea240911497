package dev.facet.model;

/** The interaction term of the joint loss. */
public enum LossType {
  /** Sampled softmax over in-batch, popularity-sampled and hard negatives, log-Q corrected. */
  SOFTMAX,
  /** Bayesian personalized ranking: -log σ(s⁺ − s⁻), averaged over the negatives. */
  BPR,
  /** Binary cross-entropy: -log σ(s⁺) − mean log σ(−s⁻). */
  BCE
}
