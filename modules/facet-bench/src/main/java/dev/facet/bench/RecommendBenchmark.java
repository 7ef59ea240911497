package dev.facet.bench;

import dev.facet.core.Figures;
import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.Recommendation;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import dev.facet.core.VectorMath;
import dev.facet.engine.Facet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Recommendation latency at catalog scale. A scratch work directory gets the served model and an
 * index holding the real catalog plus synthetic listings (real listings' attributes under new ids,
 * their image and text vectors perturbed, joint vectors from the model's content towers, exactly as
 * a listing ingested after training gets them). Then {@code threads} callers ask for top-10
 * recommendations of real users; the same users' brute-force scoring against every item is timed
 * alongside for scale.
 */
public final class RecommendBenchmark {
  private static final int K = 10;
  /** Calls per warm-up round. */
  private static final int WARMUP_ROUND = 4000;
  /** Warm-up rounds before the measured calls: at least, and at most. */
  private static final int MIN_WARMUP_ROUNDS = 2;
  private static final int MAX_WARMUP_ROUNDS = 12;
  private static final float NOISE = 0.15f;

  private RecommendBenchmark() {}

  /** Latency figures of one catalog size. */
  public record Result(int items, int threads, int calls, double p50Ms, double p99Ms, double callsPerSecond,
      double bruteForceP50Ms, double bruteForceP99Ms, double buildSeconds, Map<String, Object> profile) {
    public Map<String, Object> toJsonTree() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("items", items);
      m.put("threads", threads);
      m.put("calls", calls);
      m.put("p50_ms", round(p50Ms));
      m.put("p99_ms", round(p99Ms));
      m.put("calls_per_s", round(callsPerSecond));
      m.put("brute_force_p50_ms", round(bruteForceP50Ms));
      m.put("brute_force_p99_ms", round(bruteForceP99Ms));
      m.put("index_build_s", round(buildSeconds));
      m.put("profile", profile);
      return m;
    }

    private static double round(double v) {
      return Figures.round(v, 3);
    }
  }

  /**
   * Runs the benchmark for {@code items} listings.
   *
   * @param base a Facet whose work directory has an ingested catalog and a trained model
   * @param catalogDir that catalog (its users and histories drive the calls)
   */
  public static Result run(Facet base, Path catalogDir, int items, int threads, int calls, Path scratch) {
    copyModel(base, scratch);
    try (Facet facet = Facet.open(base.config().withWorkDir(scratch).withCatalogDir(catalogDir))) {
      long t0 = System.nanoTime();
      float[][] joints = fill(base.index(), facet.index(), facet, items);
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      List<String> users = facet.usersWithHistory();
      // Operators (and scripts that keep a machine quiet) see when the timed part starts.
      System.err.printf("[recommend-bench] %d items indexed in %.1f s; timing calls%n", joints.length, buildSeconds);
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      long[] latencies;
      double wall;
      Map<String, Object> profile;
      try {
        int warmupCalls = warmUp(facet, pool, threads, users);
        latencies = new long[calls];
        long[] cpu = new long[calls];
        List<String> measured = new ArrayList<>(calls);
        for (int i = 0; i < calls; i++) {
          measured.add(users.get(Math.floorMod(i * 7919, users.size())));
        }
        RecommendCallProfile calls0 = RecommendCallProfile.start(facet.index()::knnStats);
        long start = System.nanoTime();
        runCalls(facet, pool, threads, measured, latencies, cpu);
        wall = (System.nanoTime() - start) / 1e9;
        profile = calls0.finish(measured, latencies, cpu, facet);
        profile.put("warmup_calls", warmupCalls);
      } finally {
        pool.shutdownNow();
      }
      long[] brute = bruteForce(facet, users, joints);
      return new Result(items, threads, calls, percentile(latencies, 0.50), percentile(latencies, 0.99), calls / wall,
          percentile(brute, 0.50), percentile(brute, 0.99), buildSeconds, profile);
    }
  }

  /**
   * Warm-up on the same threads and the same kind of calls (other users), round after round until the
   * JIT goes quiet ({@link JitWarmup}).
   *
   * @return the warm-up calls made
   */
  private static int warmUp(Facet facet, ExecutorService pool, int threads, List<String> users) {
    Random random = new Random(42);
    int rounds = JitWarmup.untilQuiet(() -> {
      List<String> round = new ArrayList<>(WARMUP_ROUND);
      for (int i = 0; i < WARMUP_ROUND; i++) {
        round.add(users.get(random.nextInt(users.size())));
      }
      runCalls(facet, pool, threads, round, new long[WARMUP_ROUND], new long[WARMUP_ROUND]);
    }, MIN_WARMUP_ROUNDS, MAX_WARMUP_ROUNDS);
    return rounds * WARMUP_ROUND;
  }

  /** Copies the base engine's trained model into a scratch work directory. */
  static void copyModel(Facet base, Path scratch) {
    try {
      Files.createDirectories(scratch.resolve("model"));
      Files.copy(Facet.modelFile(base.config()), Facet.modelFile(base.config().withWorkDir(scratch)),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Calls {@code recommend} for each user from {@code threads} workers, recording each call's latency
   * and the CPU time its thread spent in it (a slow call with little CPU waited: for a ranking slot,
   * a core, or a page of the index).
   */
  private static void runCalls(Facet facet, ExecutorService pool, int threads, List<String> users, long[] latencies,
      long[] cpuNanos) {
    java.lang.management.ThreadMXBean cpuClock = java.lang.management.ManagementFactory.getThreadMXBean();
    AtomicInteger next = new AtomicInteger();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          for (int i; (i = next.getAndIncrement()) < users.size(); ) {
            String user = users.get(i);
            long c = cpuClock.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            List<Recommendation> recs = facet.recommend(user, K, Filter.NONE);
            latencies[i] = System.nanoTime() - s;
            cpuNanos[i] = cpuClock.getCurrentThreadCpuTime() - c;
            if (recs.isEmpty()) {
              throw new IllegalStateException("no recommendations for " + user);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    } catch (Exception e) {
      throw new IllegalStateException("benchmark call failed", e);
    }
  }

  /** Copies the real catalog into the scratch index and adds synthetic listings up to {@code items}. */
  static float[][] fill(CatalogIndex from, CatalogIndex to, Facet facet, int items) {
    List<IndexedListing> real = new ArrayList<>();
    for (String id : new java.util.TreeSet<>(from.ids())) {
      from.get(id).ifPresent(real::add);
    }
    if (real.isEmpty()) {
      throw new IllegalStateException("the base index is empty");
    }
    float[][] joints = new float[Math.max(items, real.size())][];
    Random random = new Random(7);
    int n = 0;
    for (IndexedListing doc : real) {
      to.upsert(doc);
      joints[n++] = doc.joint();
    }
    while (n < items) {
      IndexedListing template = real.get(random.nextInt(real.size()));
      Listing l = template.listing();
      Listing copy = new Listing(String.format("S-%07d", n), l.title(), l.titleEn(), l.description(), l.category(),
          l.material(), l.gemstone(), l.color(), l.style(), l.price(), l.currency(), l.merchant(), l.images(),
          l.inStock(), l.attributes());
      float[] image = perturb(template.image(), random);
      float[] text = perturb(template.text(), random);
      float[] joint = facet.contentVector(copy, image, text);
      // The text vector feeds the content towers but is not stored: serving recommendations needs
      // only the joint (retrieval) and image (diversity) vectors, and skipping the text and fused
      // HNSW graphs keeps a 100k-item build within minutes.
      to.upsert(new IndexedListing(copy, "synthetic", image, null, joint));
      joints[n++] = joint;
    }
    to.commit(Map.of());
    to.forceMerge(1);
    to.refresh();
    // The synthetic vectors derive from the encoders' own, so an ingest that follows (bench live's
    // edits) must treat them as current rather than embed everything again.
    facet.ingestor().recordCurrentEncoders();
    return Arrays.copyOf(joints, n);
  }

  /** The same users' vectors (the serving user tower) scored against every item, then top 10. */
  private static long[] bruteForce(Facet facet, List<String> users, float[][] joints) {
    int runs = Math.min(500, users.size() * 4);
    long[] out = new long[runs];
    float[] scores = new float[joints.length];
    for (int r = 0; r < runs; r++) {
      String user = users.get(Math.floorMod(r * 7919, users.size()));
      long s = System.nanoTime();
      float[] u = facet.userVector(user).orElseThrow();
      for (int i = 0; i < joints.length; i++) {
        scores[i] = (float) VectorMath.dot(u, joints[i]);
      }
      topK(scores, K);
      out[r] = System.nanoTime() - s;
    }
    return out;
  }

  private static int[] topK(float[] scores, int k) {
    int[] best = new int[k];
    Arrays.fill(best, -1);
    for (int i = 0; i < scores.length; i++) {
      int pos = k;
      while (pos > 0 && (best[pos - 1] < 0 || scores[best[pos - 1]] < scores[i])) {
        pos--;
      }
      if (pos < k) {
        System.arraycopy(best, pos, best, pos + 1, k - pos - 1);
        best[pos] = i;
      }
    }
    return best;
  }

  private static float[] perturb(float[] v, Random random) {
    if (v == null) {
      return null;
    }
    float[] out = new float[v.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      out[i] = v[i] + (float) (random.nextGaussian() * NOISE / Math.sqrt(v.length));
      norm += out[i] * out[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < out.length; i++) {
      out[i] *= inv;
    }
    return out;
  }

  static double percentile(long[] nanos, double q) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return Figures.percentile(sorted, q) / 1e6;
  }
}
