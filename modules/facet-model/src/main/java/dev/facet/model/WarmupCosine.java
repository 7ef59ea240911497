package dev.facet.model;

import ai.djl.training.tracker.Tracker;

/**
 * Learning rate with linear warm-up to {@code peak} over {@code warmup} updates, then cosine decay to
 * {@code peak * floor} at {@code total} updates. {@code offset} shifts the update count (resume).
 */
final class WarmupCosine implements Tracker {
  private final float peak;
  private final int warmup;
  private final int total;
  private final int offset;
  private static final float FLOOR = 0.05f;

  WarmupCosine(float peak, int warmup, int total, int offset) {
    if (peak <= 0 || warmup < 0 || total < 1 || offset < 0) {
      throw new IllegalArgumentException("bad schedule: peak=" + peak + " warmup=" + warmup + " total=" + total);
    }
    this.peak = peak;
    this.warmup = warmup;
    this.total = total;
    this.offset = offset;
  }

  @Override
  public float getNewValue(int numUpdate) {
    int t = numUpdate + offset;
    if (t < warmup) {
      return peak * (t + 1) / warmup;
    }
    double progress = Math.min(1.0, (double) (t - warmup) / Math.max(1, total - warmup));
    return (float) (peak * (FLOOR + (1 - FLOOR) * 0.5 * (1 + Math.cos(Math.PI * progress))));
  }
}
