package dev.facet.bench;

import dev.facet.core.Filter;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.engine.Facet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The shop's read traffic for {@link LiveBenchmark}: {@code threads} callers, each asking for a
 * user's top 10 and, every {@link #PHOTO_EVERY}th call, searching by a catalog photo. Recommend
 * latencies are kept; a call that throws or returns nothing counts as an error.
 */
final class LiveTraffic {
  static final int K = 10;
  /** One call in this many is a photo search. */
  static final int PHOTO_EVERY = 10;

  private final Facet facet;
  private final List<String> users;
  private final List<byte[]> photos;
  private final int threads;
  final AtomicLong errors = new AtomicLong();
  final AtomicLong photoSearches = new AtomicLong();
  private volatile String firstError;

  LiveTraffic(Facet facet, List<String> users, List<byte[]> photos, int threads) {
    this.facet = facet;
    this.users = users;
    this.photos = photos;
    this.threads = threads;
  }

  /** Runs the callers until {@code done} says stop; returns every recommend call's latency in nanoseconds. */
  long[] runUntil(BooleanSupplier done, long seed) throws InterruptedException {
    List<long[]> perThread = new ArrayList<>();
    List<int[]> counts = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long[] latencies = new long[1 << 20];
      int[] n = new int[1];
      perThread.add(latencies);
      counts.add(n);
      Random random = new Random(seed + t);
      Thread worker = new Thread(() -> {
        for (int call = 0; !done.getAsBoolean() && n[0] < latencies.length; call++) {
          if (call % PHOTO_EVERY == PHOTO_EVERY - 1) {
            photo(random);
          } else {
            latencies[n[0]++] = recommend(users.get(random.nextInt(users.size())));
          }
        }
      }, "facet-live-traffic-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    int total = counts.stream().mapToInt(c -> c[0]).sum();
    long[] out = new long[total];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(perThread.get(t), 0, out, at, counts.get(t)[0]);
      at += counts.get(t)[0];
    }
    return out;
  }

  private long recommend(String user) {
    long start = System.nanoTime();
    try {
      List<Recommendation> recs = facet.recommend(user, K, Filter.NONE);
      if (recs.isEmpty()) {
        error("no recommendations for " + user);
      }
    } catch (RuntimeException e) {
      error("recommend " + user + ": " + e);
    }
    return System.nanoTime() - start;
  }

  private void photo(Random random) {
    try {
      List<SearchHit> hits = facet.similar().byImage(photos.get(random.nextInt(photos.size())), "bench photo", K, Filter.NONE);
      photoSearches.incrementAndGet();
      if (hits.isEmpty()) {
        error("photo search found nothing");
      }
    } catch (RuntimeException e) {
      error("photo search: " + e);
    }
  }

  private void error(String what) {
    if (errors.getAndIncrement() == 0) {
      firstError = what;
    }
  }

  /** The first error seen, or null. */
  String firstError() {
    return firstError;
  }
}
