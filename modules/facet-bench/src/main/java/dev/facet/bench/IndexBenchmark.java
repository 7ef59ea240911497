package dev.facet.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.core.Figures;
import dev.facet.core.Filter;
import dev.facet.core.Listing;
import dev.facet.core.SearchHit;
import dev.facet.core.VectorMath;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexSettings;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import dev.facet.index.VectorFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.lucene.util.VectorUtil;

/**
 * Index benchmark on synthetic clustered vectors: indexing rate, forceMerge time, index size, and for each
 * {@link VectorFormat} variant KNN recall@10 against exact brute force plus p50/p99 latency, unfiltered and with
 * pre-filters of about 1%, 10% and 50% selectivity.
 *
 * <p>Data: a seeded Gaussian mixture on the unit sphere. Each of {@code clusters} centroids is a random unit
 * vector with its own random 32-dimensional subspace; a point is {@code normalize(c + 0.6·B·z + 0.3·g)} with
 * {@code z} Gaussian in the subspace and {@code g} small isotropic noise, so that nearest neighbours are
 * meaningful (low intrinsic dimension, like real embeddings) rather than the uniform-random worst case. Queries
 * are fresh points from the same mixture. Attributes are drawn independently: {@code material} gold with
 * probability 1/2 (the 50% filter), {@code gemstone} one of 10 (10%), {@code merchant} one of 100 (1%).
 */
public final class IndexBenchmark {
  static final int K = 10;
  /** Dimension of each cluster's own subspace (the intrinsic dimension of the data). */
  private static final int SUBSPACE = 32;
  /** Norm of a point's offset within its cluster subspace. */
  private static final double LOCAL = 0.6;
  /** Norm of the isotropic noise. */
  private static final double ISO = 0.3;
  private static final OperatingSystemMXBean LOAD = ManagementFactory.getOperatingSystemMXBean();
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final String[] SELECTIVITIES = {"unfiltered", "filter_1pct", "filter_10pct", "filter_50pct"};
  /**
   * Timed passes over the queries. With one pass of 200 queries the p99 is the second-slowest query,
   * so a single descheduling of the thread on a shared 2-core machine decided it; three passes give
   * the percentiles six times as many slow samples to average over.
   */
  static final int TIMED_PASSES = 3;
  /** Untimed warm-up passes over the warm-up queries before a selectivity is timed, at most (see {@link JitWarmup}). */
  static final int MAX_WARMUP_PASSES = 20;

  /**
   * Benchmark parameters.
   *
   * @param items number of indexed items
   * @param dims vector dimension (at most {@code IndexSettings.MAX_DIMS - 1})
   * @param queries queries per selectivity (at least 1; 200 or more for a meaningful recall)
   * @param clusters mixture components; 0 chooses {@code clamp(items / 1000, 100, 1000)} (about 1000 points
   *     per cluster at 100k items, so that the top 10 must be found among many close candidates)
   * @param seed seed of data and queries
   * @param workDir scratch directory; one index per variant is built below it and deleted afterwards
   * @param variants formats to measure; the first is the default variant reported at the top level
   * @param maxConn HNSW max connections
   * @param beamWidth HNSW build beam width
   * @param overFetch KNN over-fetch factor
   */
  public record Config(int items, int dims, int queries, int clusters, long seed, Path workDir,
      List<VectorFormat> variants, int maxConn, int beamWidth, int overFetch) {
    public Config {
      Objects.requireNonNull(workDir, "workDir");
      variants = List.copyOf(variants);
      if (items < K || dims < 2 || dims >= IndexSettings.MAX_DIMS || queries < 1 || clusters < 0 || variants.isEmpty()) {
        throw new IllegalArgumentException("bad benchmark config: " + items + " items, " + dims + " dims, "
            + queries + " queries, " + clusters + " clusters, variants " + variants);
      }
    }

    /** The tuned defaults: float and int8 variants, maxConn 16, beamWidth 100, over-fetch 5, 200 queries. */
    public static Config defaults(int items, int dims, Path workDir) {
      return new Config(items, dims, 200, 0, 42L, workDir, List.of(VectorFormat.FLOAT, VectorFormat.INT8), 16, 100, 5);
    }
  }

  private IndexBenchmark() {}

  /** Runs {@link Config#defaults} for {@code items} × {@code dims} in {@code workDir}. */
  public static Map<String, Object> run(int items, int dims, Path workDir) {
    return run(Config.defaults(items, dims, workDir));
  }

  /**
   * Runs the benchmark. The result is JSON-serialisable (nested maps, strings, numbers); its first keys are
   * the headline {@code recall@10} and {@code p99_ms}: the worst over all selectivities of the default
   * (first) variant.
   */
  public static Map<String, Object> run(Config config) {
    try {
      return new Run(config).execute();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("benchmark interrupted", e);
    }
  }

  /** Manual runs: {@code --items N --dims D --queries Q --variants float,int8,int4 --work DIR --out FILE}. */
  public static void main(String[] args) throws IOException {
    Config c = Config.defaults(100_000, 512, Path.of("target/index-bench"));
    Path out = null;
    for (int i = 0; i + 1 < args.length; i += 2) {
      String v = args[i + 1];
      switch (args[i]) {
        case "--items" -> c = new Config(Integer.parseInt(v), c.dims(), c.queries(), c.clusters(), c.seed(), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--dims" -> c = new Config(c.items(), Integer.parseInt(v), c.queries(), c.clusters(), c.seed(), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--queries" -> c = new Config(c.items(), c.dims(), Integer.parseInt(v), c.clusters(), c.seed(), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--clusters" -> c = new Config(c.items(), c.dims(), c.queries(), Integer.parseInt(v), c.seed(), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--seed" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), Long.parseLong(v), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--work" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), c.seed(), Path.of(v), c.variants(), c.maxConn(), c.beamWidth(), c.overFetch());
        case "--variants" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), c.seed(), c.workDir(),
            Arrays.stream(v.split(",")).map(s -> VectorFormat.valueOf(s.trim().toUpperCase(Locale.ROOT))).toList(),
            c.maxConn(), c.beamWidth(), c.overFetch());
        case "--max-conn" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), c.seed(), c.workDir(), c.variants(), Integer.parseInt(v), c.beamWidth(), c.overFetch());
        case "--beam-width" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), c.seed(), c.workDir(), c.variants(), c.maxConn(), Integer.parseInt(v), c.overFetch());
        case "--over-fetch" -> c = new Config(c.items(), c.dims(), c.queries(), c.clusters(), c.seed(), c.workDir(), c.variants(), c.maxConn(), c.beamWidth(), Integer.parseInt(v));
        case "--out" -> out = Path.of(v);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, Object> result = run(c);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result);
    if (out != null) {
      Files.writeString(out, json);
    }
    System.out.println(json);
  }

  /** One benchmark run: data, ground truth, then one index per variant. */
  private static final class Run {
    private final Config c;
    private final float[][] vectors;
    private final Listing[] listings;
    private final float[][] queries;
    /** Untimed queries from the same distribution, run before each timed pass. */
    private final float[][] warmups;
    private final Filter[] filters;
    /** truth[selectivity][query] = exact top-K item indexes. */
    private final int[][][] truth;
    private final double[] selectivity = new double[SELECTIVITIES.length];

    Run(Config c) {
      this.c = c;
      Random rnd = new Random(c.seed());
      int clusters = c.clusters() > 0 ? c.clusters() : Math.max(100, Math.min(1000, c.items() / 1000));
      float[][] centroids = new float[clusters][];
      float[][][] bases = new float[clusters][SUBSPACE][];
      for (int i = 0; i < clusters; i++) {
        centroids[i] = VectorMath.normalize(gaussian(rnd, c.dims(), 1));
        for (int j = 0; j < SUBSPACE; j++) {
          bases[i][j] = gaussian(rnd, c.dims(), 1 / Math.sqrt(c.dims()));
        }
      }
      vectors = new float[c.items()][];
      listings = new Listing[c.items()];
      for (int i = 0; i < c.items(); i++) {
        vectors[i] = point(rnd, centroids, bases);
        listings[i] = listing(rnd, i);
      }
      queries = new float[c.queries()][];
      for (int q = 0; q < c.queries(); q++) {
        queries[q] = point(rnd, centroids, bases);
      }
      // Drawn after everything else, so data and timed queries stay those of earlier runs with this seed.
      warmups = new float[c.queries()][];
      for (int q = 0; q < c.queries(); q++) {
        warmups[q] = point(rnd, centroids, bases);
      }
      filters = new Filter[] {
        Filter.NONE,
        Filter.builder().merchant("m00").build(),
        Filter.builder().gemstone("g0").build(),
        Filter.builder().material("gold").build(),
      };
      truth = new int[filters.length][c.queries()][];
      for (int f = 0; f < filters.length; f++) {
        int matching = 0;
        for (Listing l : listings) {
          matching += filters[f].matches(l) ? 1 : 0;
        }
        selectivity[f] = (double) matching / c.items();
      }
    }

    private float[] point(Random rnd, float[][] centroids, float[][][] bases) {
      int k = rnd.nextInt(centroids.length);
      float[] x = centroids[k].clone();
      for (int j = 0; j < SUBSPACE; j++) {
        float z = (float) (rnd.nextGaussian() * LOCAL / Math.sqrt(SUBSPACE) * Math.sqrt(c.dims()));
        float[] b = bases[k][j];
        for (int d = 0; d < x.length; d++) {
          x[d] += z * b[d] / (float) Math.sqrt(c.dims());
        }
      }
      double iso = ISO / Math.sqrt(c.dims());
      for (int d = 0; d < x.length; d++) {
        x[d] += (float) (rnd.nextGaussian() * iso);
      }
      return VectorMath.normalize(x);
    }

    private static Listing listing(Random rnd, int i) {
      String id = String.format(Locale.ROOT, "B-%07d", i);
      return new Listing(id, "bench item " + i, null, null, "ring",
          rnd.nextBoolean() ? "gold" : "silver", "g" + rnd.nextInt(10), null, null,
          Math.round(rnd.nextDouble() * 10_000) / 1.0, "CNY", String.format(Locale.ROOT, "m%02d", rnd.nextInt(100)),
          List.of("images/" + id + ".jpg"), true, Map.of());
    }

    Map<String, Object> execute() throws IOException, InterruptedException {
      long t0 = System.nanoTime();
      computeTruth();
      double truthSeconds = seconds(t0);
      progress("ground truth for " + queries.length + " queries in " + round(truthSeconds, 1) + " s");
      Map<String, Object> variants = new LinkedHashMap<>();
      for (VectorFormat format : c.variants()) {
        variants.put(format.name().toLowerCase(Locale.ROOT), measure(format));
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> first = (Map<String, Object>) variants.values().iterator().next();
      double worstRecall = Double.MAX_VALUE;
      double worstP99 = 0;
      for (String sel : SELECTIVITIES) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) first.get(sel);
        worstRecall = Math.min(worstRecall, (Double) m.get("recall@10"));
        worstP99 = Math.max(worstP99, (Double) m.get("p99_ms"));
      }
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("recall@10", worstRecall);
      out.put("p99_ms", worstP99);
      out.put("filter_1pct_to_unfiltered_p99", round(p99(first, "filter_1pct") / p99(first, "unfiltered"), 3));
      out.put("load_average", meanLoad(variants));
      out.put("headline", "worst over unfiltered and 1%/10%/50% filters of the default variant "
          + c.variants().get(0).name().toLowerCase(Locale.ROOT));
      out.put("items", c.items());
      out.put("dims", c.dims());
      out.put("k", K);
      out.put("queries", c.queries());
      out.put("timed_passes", TIMED_PASSES);
      Map<String, Object> tuning = new LinkedHashMap<>();
      tuning.put("max_conn", c.maxConn());
      tuning.put("beam_width", c.beamWidth());
      tuning.put("over_fetch", c.overFetch());
      tuning.put("merge_threads", 2);
      tuning.put("index_threads", 2);
      tuning.put("similarity", "dot_product on unit vectors");
      out.put("tuning", tuning);
      Map<String, Object> sel = new LinkedHashMap<>();
      for (int f = 0; f < SELECTIVITIES.length; f++) {
        sel.put(SELECTIVITIES[f], round(selectivity[f], 4));
      }
      out.put("selectivity", sel);
      out.put("ground_truth_s", round(truthSeconds, 2));
      out.put("available_processors", Runtime.getRuntime().availableProcessors());
      out.put("variants", variants);
      return out;
    }

    private static double p99(Map<String, Object> variant, String selectivity) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) variant.get(selectivity);
      return (Double) m.get("p99_ms");
    }

    /** Mean system load over every timed search of every variant: how busy the machine was. */
    @SuppressWarnings("unchecked")
    private static double meanLoad(Map<String, Object> variants) {
      double sum = 0;
      int n = 0;
      for (Object v : variants.values()) {
        for (String sel : SELECTIVITIES) {
          sum += (Double) ((Map<String, Object>) ((Map<String, Object>) v).get(sel)).get("load_average");
          n++;
        }
      }
      return round(sum / n, 2);
    }

    private void computeTruth() {
      boolean[][] passes = new boolean[filters.length][c.items()];
      for (int f = 0; f < filters.length; f++) {
        for (int i = 0; i < c.items(); i++) {
          passes[f][i] = filters[f].matches(listings[i]);
        }
      }
      float[] scores = new float[c.items()];
      for (int q = 0; q < queries.length; q++) {
        for (int i = 0; i < c.items(); i++) {
          scores[i] = VectorUtil.dotProduct(queries[q], vectors[i]);
        }
        for (int f = 0; f < filters.length; f++) {
          truth[f][q] = topK(scores, passes[f]);
        }
      }
    }

    private static int[] topK(float[] scores, boolean[] passes) {
      int[] best = new int[K];
      int n = 0;
      for (int i = 0; i < scores.length; i++) {
        if (!passes[i]) {
          continue;
        }
        if (n < K) {
          best[n++] = i;
          // insertion sort, descending
          for (int j = n - 1; j > 0 && scores[best[j]] > scores[best[j - 1]]; j--) {
            int t = best[j]; best[j] = best[j - 1]; best[j - 1] = t;
          }
        } else if (scores[i] > scores[best[K - 1]]) {
          best[K - 1] = i;
          for (int j = K - 1; j > 0 && scores[best[j]] > scores[best[j - 1]]; j--) {
            int t = best[j]; best[j] = best[j - 1]; best[j - 1] = t;
          }
        }
      }
      return Arrays.copyOf(best, n);
    }

    private IndexSettings settings(VectorFormat format, int overFetch) {
      return IndexSettings.defaults(c.dims(), 1, 1)
          .withFormat(format)
          .withHnsw(c.maxConn(), c.beamWidth())
          .withOverFetch(overFetch)
          .withRamBufferMb(1024);
    }

    private Map<String, Object> measure(VectorFormat format) throws IOException, InterruptedException {
      Path dir = c.workDir().resolve("bench-" + format.name().toLowerCase(Locale.ROOT));
      deleteRecursively(dir);
      Map<String, Object> m = new LinkedHashMap<>();
      try (CatalogIndex index = CatalogIndex.open(dir, settings(format, c.overFetch()))) {
        build(index, format, m);
        m.put("segments", index.segmentCount());
        m.put("bytes", directorySize(dir));
        m.put("raw_vector_bytes", (long) c.items() * c.dims() * Float.BYTES);
        m.putAll(storage(dir, format));
        for (int f = 0; f < filters.length; f++) {
          m.put(SELECTIVITIES[f], search(index, f));
        }
      }
      if (format == c.variants().get(0)) {
        m.put("over_fetch_sweep", sweep(dir, format));
      }
      deleteRecursively(dir);
      return m;
    }

    /** Indexes every item from two threads, commits once, force-merges to one segment; records the times. */
    private void build(CatalogIndex index, VectorFormat format, Map<String, Object> m) throws InterruptedException {
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(2);
      try {
        List<Future<?>> parts = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
          int part = t;
          parts.add(pool.submit(() -> {
            for (int i = part; i < c.items(); i += 2) {
              index.upsert(new IndexedListing(listings[i], "h" + i, vectors[i], null, null));
            }
          }));
        }
        for (Future<?> f : parts) {
          f.get();
        }
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException("indexing failed", e.getCause());
      } finally {
        pool.shutdown();
      }
      index.commit(Map.of("bench", format.name()));
      double indexSeconds = seconds(t0);
      long t1 = System.nanoTime();
      index.forceMerge(1);
      index.commit(Map.of("bench", format.name()));
      double mergeSeconds = seconds(t1);
      index.refresh();
      if (index.size() != c.items()) {
        throw new IllegalStateException("indexed " + index.size() + " of " + c.items() + " items");
      }
      progress(format + ": indexed " + c.items() + " in " + round(indexSeconds, 1) + " s, forceMerge "
          + round(mergeSeconds, 1) + " s");
      m.put("index_s", round(indexSeconds, 2));
      m.put("docs_per_s", round(c.items() / indexSeconds, 1));
      m.put("force_merge_s", round(mergeSeconds, 2));
      m.put("merge_docs_per_s", round(c.items() / mergeSeconds, 1));
    }

    /**
     * Where the vector bytes are: raw floats ({@code .vec}), the quantized copy ({@code .veq}) and the
     * HNSW graph ({@code .vex}). A search walks the graph and scores on the quantized copy when there is
     * one, reading raw floats only to re-score its candidates; so its working set is graph plus quantized
     * vectors (graph plus floats for the float format).
     */
    private Map<String, Object> storage(Path dir, VectorFormat format) throws IOException {
      long floats = bytesWithExtension(dir, ".vec");
      long quantized = bytesWithExtension(dir, ".veq");
      long graph = bytesWithExtension(dir, ".vex");
      long raw = (long) c.items() * c.dims() * Float.BYTES;
      long searched = graph + (format.quantized() ? quantized : floats);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bytes_to_raw_floats", round((double) directorySize(dir) / raw, 3));
      m.put("float_vector_bytes", floats);
      m.put("quantized_vector_bytes", quantized);
      m.put("graph_bytes", graph);
      m.put("search_memory_bytes", searched);
      m.put("search_memory_to_raw_floats", round((double) searched / raw, 3));
      return m;
    }

    /** The default variant again with larger candidate lists: recall and latency bought per extra candidate. */
    private Map<String, Object> sweep(Path dir, VectorFormat format) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (int factor : new int[] {2, 4}) {
        int overFetch = Math.min(100, c.overFetch() * factor);
        Map<String, Object> m = new LinkedHashMap<>();
        try (CatalogIndex index = CatalogIndex.open(dir, settings(format, overFetch))) {
          for (int f = 0; f < filters.length; f++) {
            m.put(SELECTIVITIES[f], search(index, f));
          }
        }
        out.put("over_fetch_" + overFetch, m);
      }
      return out;
    }

    private Map<String, Object> search(CatalogIndex index, int f) {
      // Warm-up, untimed, on as many other queries as are timed, pass after pass until the JIT goes
      // quiet: with a quarter of the timed queries as warm-up, the first pass after a force-merge kept a
      // few queries at 5-8x the median CPU time (p99 2.5-11 ms from run to run), and after one pass the
      // compiler was still at work on the second core while queries were timed.
      int warmupPasses = JitWarmup.untilQuiet(() -> {
        for (float[] w : warmups) {
          index.knn(VectorField.IMAGE, w, K, filters[f]);
        }
      }, 1, MAX_WARMUP_PASSES);
      long[] nanos = new long[TIMED_PASSES * queries.length];
      long[] cpuNanos = new long[nanos.length];
      double recallSum = 0;
      double loadBefore = LOAD.getSystemLoadAverage();
      Map<String, Long> pathsBefore = index.knnStats();
      JvmPauses jvm = JvmPauses.start();
      for (int s = 0; s < nanos.length; s++) {
        int q = s % queries.length;
        long c0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        List<SearchHit> hits = index.knn(VectorField.IMAGE, queries[q], K, filters[f]);
        nanos[s] = System.nanoTime() - t0;
        cpuNanos[s] = THREADS.getCurrentThreadCpuTime() - c0;
        Set<String> expected = new HashSet<>();
        for (int i : truth[f][q]) {
          expected.add(listings[i].id());
        }
        int found = 0;
        for (SearchHit h : hits) {
          if (!filters[f].matches(listings[Integer.parseInt(h.id().substring(2))])) {
            throw new IllegalStateException("hit " + h.id() + " violates filter " + SELECTIVITIES[f]);
          }
          found += expected.contains(h.id()) ? 1 : 0;
        }
        recallSum += expected.isEmpty() ? 1 : (double) found / expected.size();
      }
      Arrays.sort(nanos);
      Arrays.sort(cpuNanos);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("recall@10", round(recallSum / nanos.length, 4));
      r.put("p50_ms", round(percentile(nanos, 0.50) / 1e6, 3));
      r.put("p99_ms", round(percentile(nanos, 0.99) / 1e6, 3));
      r.put("mean_ms", round(Arrays.stream(nanos).average().orElse(0) / 1e6, 3));
      // CPU time of the querying thread: unaffected by time spent descheduled on a shared machine.
      r.put("cpu_p50_ms", round(percentile(cpuNanos, 0.50) / 1e6, 3));
      r.put("cpu_p99_ms", round(percentile(cpuNanos, 0.99) / 1e6, 3));
      r.put("load_average", round((loadBefore + LOAD.getSystemLoadAverage()) / 2, 2));
      r.put("selectivity", round(selectivity[f], 4));
      Map<String, Long> paths = new LinkedHashMap<>();
      index.knnStats().forEach((key, value) -> paths.put(key, value - pathsBefore.getOrDefault(key, 0L)));
      r.put("knn_paths", paths);
      // What shared the cores with the timed queries: a wall-clock tail far above the CPU tail with
      // no collector pause and no JIT work here came from outside this JVM.
      r.put("warmup_passes", warmupPasses);
      r.put("jvm", jvm.report());
      progress(SELECTIVITIES[f] + " " + r);
      return r;
    }
  }

  private static void progress(String message) {
    System.err.println("[index-bench] " + message);
  }

  static double percentile(long[] sorted, double p) {
    return Figures.percentile(sorted, p);
  }

  private static float[] gaussian(Random rnd, int n, double sigma) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (rnd.nextGaussian() * sigma);
    }
    return v;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static double round(double v, int digits) {
    return Figures.round(v, digits);
  }

  private static long directorySize(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a file removed by a concurrent merge
        }
      }).sum();
    }
  }

  private static long bytesWithExtension(Path dir, String extension) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(p -> p.getFileName().toString().endsWith(extension)).mapToLong(p -> {
        try {
          return Files.size(p);
        } catch (IOException e) {
          return 0; // a file removed by a concurrent merge
        }
      }).sum();
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
