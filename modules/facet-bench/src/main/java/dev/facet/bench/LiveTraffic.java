package dev.facet.bench;

import dev.facet.core.Filter;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.core.RequestThreads;
import dev.facet.engine.Facet;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The shop's read traffic for {@link LiveBenchmark}: {@code threads} callers, each asking for a
 * user's top 10 and, every {@code photoEvery}th call, searching by a catalog photo, paced so that
 * together they make {@code callsPerSecond} calls. Recommend latencies (service times) and CPU times are kept; a
 * call that throws or returns nothing counts as an error.
 *
 * <p>Why paced: unpaced callers keep every core busy by themselves, so a catalog update running
 * beside them (at a lower priority, as live writes run) would get no CPU at all and the benchmark
 * would measure starvation, not interference. A shop's traffic arrives at some rate; at a fixed rate
 * the latency under an update over the latency without one is the cost the update imposes.
 */
final class LiveTraffic {
  static final int K = 10;
  /**
   * Recommend calls one thread records at most in one run: minutes of calls at the measured pace
   * and a warm-up round's unpaced calls, without allocating so much per round that the collector
   * works more during the measurement than the engine makes it.
   */
  private static final int MAX_CALLS = 1 << 17;
  private static final ThreadMXBean CPU_CLOCK = ManagementFactory.getThreadMXBean();

  private final Facet facet;
  private final List<String> users;
  private final List<byte[]> photos;
  private final int threads;
  private final long intervalNanos;
  private final int photoEvery;
  private final ThreadWaits waits = ThreadWaits.start();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong photoSearches = new AtomicLong();
  private volatile String firstError;

  /**
   * @param callsPerSecond calls of all threads together per second (recommendations and photo searches)
   * @param photoEvery one call in this many is a photo search
   */
  LiveTraffic(Facet facet, List<String> users, List<byte[]> photos, int threads, double callsPerSecond, int photoEvery) {
    if (threads < 1 || !(callsPerSecond > 0) || photoEvery < 1) {
      throw new IllegalArgumentException("traffic of " + threads + " threads at " + callsPerSecond
          + " calls/s, a photo search every " + photoEvery + " calls");
    }
    this.facet = facet;
    this.users = users;
    this.photos = photos;
    this.threads = threads;
    this.intervalNanos = Math.round(threads * 1e9 / callsPerSecond);
    this.photoEvery = photoEvery;
  }

  /**
   * The recommend calls of one run: latency and the CPU time the calling thread spent in each (in
   * nanoseconds), the time it waited for a core and parked or blocked in the JVM ({@link ThreadWaits};
   * -1 where unknown), and whom it was for. A slow call with as much CPU time as wall time did more
   * work; one with little CPU time waited (for a core, a lock, a page, a collector pause). Beside
   * them, the latency of every photo search.
   */
  record Calls(long[] nanos, long[] cpuNanos, long[] runQueueNanos, long[] parkedNanos, List<String> users,
      List<Long> photoNanos) {
    static Calls ofCapacity(int n) {
      return new Calls(new long[n], new long[n], new long[n], new long[n], new ArrayList<>(n), new ArrayList<>());
    }

    long[] photoLatencies() {
      return photoNanos.stream().mapToLong(Long::longValue).toArray();
    }

    int size() {
      return nanos.length;
    }
  }

  /** Runs the callers until {@code done} says stop; returns every recommend call. */
  Calls runUntil(BooleanSupplier done, long seed) throws InterruptedException {
    List<Calls> perThread = new ArrayList<>();
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      Calls calls = Calls.ofCapacity(MAX_CALLS);
      perThread.add(calls);
      Random random = new Random(seed + t);
      // Threads start spread over one interval, so their calls interleave rather than arrive together.
      long firstCall = System.nanoTime() + intervalNanos * t / threads;
      Thread worker = new Thread(() -> {
        // As a shop's request threads do (Facet's HTTP threads, an embedding service's own).
        RequestThreads.markCurrent();
        long next = firstCall;
        for (int call = 0; !done.getAsBoolean() && calls.users().size() < MAX_CALLS; call++) {
          next = waitForTurn(next);
          if (call % photoEvery == photoEvery - 1) {
            photo(random, calls);
          } else {
            recommend(users.get(random.nextInt(users.size())), calls);
          }
        }
      }, "facet-live-traffic-" + t);
      workers.add(worker);
      worker.start();
    }
    for (Thread w : workers) {
      w.join();
    }
    int total = perThread.stream().mapToInt(c -> c.users().size()).sum();
    Calls out = Calls.ofCapacity(total);
    int at = 0;
    for (Calls c : perThread) {
      int n = c.users().size();
      System.arraycopy(c.nanos(), 0, out.nanos(), at, n);
      System.arraycopy(c.cpuNanos(), 0, out.cpuNanos(), at, n);
      System.arraycopy(c.runQueueNanos(), 0, out.runQueueNanos(), at, n);
      System.arraycopy(c.parkedNanos(), 0, out.parkedNanos(), at, n);
      out.users().addAll(c.users());
      out.photoNanos().addAll(c.photoNanos());
      at += n;
    }
    return out;
  }

  /**
   * Sleeps until {@code next}; returns the time of the call after. A caller that fell behind (a slow
   * photo search) starts again from now rather than firing the missed calls in a burst.
   */
  private long waitForTurn(long next) {
    long now = System.nanoTime();
    if (next > now) {
      java.util.concurrent.locks.LockSupport.parkNanos(next - now);
    }
    return turnAfter(next, now, intervalNanos);
  }

  /** When the call after one due at {@code due} (the time being {@code now}) is due. */
  static long turnAfter(long due, long now, long intervalNanos) {
    return Math.max(due, now - intervalNanos) + intervalNanos;
  }

  /** Asks for {@code user}'s top {@value #K} and records the call as the next of {@code calls}. */
  private void recommend(String user, Calls calls) {
    int i = calls.users().size();
    long runQueue = waits.runQueueNanos();
    long parked = waits.parkedNanos();
    long cpu = CPU_CLOCK.getCurrentThreadCpuTime();
    long start = System.nanoTime();
    try {
      List<Recommendation> recs = facet.recommend(user, K, Filter.NONE);
      if (recs.isEmpty()) {
        error("no recommendations for " + user);
      }
    } catch (RuntimeException e) {
      error("recommend " + user + ": " + e);
    }
    calls.nanos()[i] = System.nanoTime() - start;
    calls.cpuNanos()[i] = CPU_CLOCK.getCurrentThreadCpuTime() - cpu;
    calls.runQueueNanos()[i] = runQueue < 0 ? -1 : waits.runQueueNanos() - runQueue;
    calls.parkedNanos()[i] = parked < 0 ? -1 : waits.parkedNanos() - parked;
    calls.users().add(user);
  }

  /** Searches by a random catalog photo and records its latency in {@code calls}. */
  private void photo(Random random, Calls calls) {
    long start = System.nanoTime();
    try {
      List<SearchHit> hits = facet.similar().byImage(photos.get(random.nextInt(photos.size())), "bench photo", K, Filter.NONE);
      photoSearches.incrementAndGet();
      if (hits.isEmpty()) {
        error("photo search found nothing");
      }
    } catch (RuntimeException e) {
      error("photo search: " + e);
    }
    calls.photoNanos().add(System.nanoTime() - start);
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
