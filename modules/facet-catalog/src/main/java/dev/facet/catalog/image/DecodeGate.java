package dev.facet.catalog.image;

import dev.facet.core.FacetException;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Bounds how many images are being decoded at once in this JVM. The pixel cap bounds one decode;
 * this bounds their product, so that parallel uploads, ingest workers and validation threads cannot
 * multiply the worst case by their number. Every {@link ImagePipeline} shares {@link #SHARED},
 * sized to the cores (decoding is CPU-bound, more in flight only adds memory) or to the system
 * property {@value #PERMITS_PROPERTY}.
 */
final class DecodeGate {
  static final String PERMITS_PROPERTY = "facet.image.concurrentDecodes";
  static final DecodeGate SHARED = new DecodeGate(defaultPermits());

  private final Semaphore permits;
  private final int size;

  DecodeGate(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a decode gate needs at least one permit, got " + size);
    }
    this.size = size;
    this.permits = new Semaphore(size, true);
  }

  private static int defaultPermits() {
    Integer configured = Integer.getInteger(PERMITS_PROPERTY);
    if (configured != null && configured < 1) {
      throw new IllegalArgumentException("system property " + PERMITS_PROPERTY + " must be >= 1, got " + configured);
    }
    return configured != null ? configured : Runtime.getRuntime().availableProcessors();
  }

  int size() {
    return size;
  }

  /** Runs {@code decode} once a permit is free; waiting is interruptible. */
  <T> T run(String source, Supplier<T> decode) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FacetException("interrupted while waiting to decode " + source, e);
    }
    try {
      return decode.get();
    } finally {
      permits.release();
    }
  }

  /** For tests: holds permits as if decodes were running. */
  void hold(int n) throws InterruptedException {
    permits.acquire(n);
  }

  void release(int n) {
    permits.release(n);
  }
}
