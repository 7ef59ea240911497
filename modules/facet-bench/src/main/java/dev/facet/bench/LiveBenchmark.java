package dev.facet.bench;

import dev.facet.core.EventType;
import dev.facet.engine.CatalogIngestor;
import dev.facet.engine.Facet;
import dev.facet.engine.SimilarItems;
import dev.facet.core.Interaction;
import dev.facet.index.CatalogIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A shop at work, in one process: read traffic ({@link LiveTraffic}: recommendations and photo
 * searches from several threads) first alone, then while a catalog update ({@link LiveEdits}: photo
 * changes and price/stock edits, upserted as one batch) and a stream of events arrive. Reports
 * recommend p99 under that load over idle p99, the update's listings/s under load vs alone (a
 * second, disjoint batch measured with no traffic), errors, and whether the index ends up holding
 * exactly what was sent.
 */
public final class LiveBenchmark {
  /**
   * One round of read-only traffic before measuring; rounds go on until the JIT goes quiet (see
   * {@link JitWarmup}), so the measured calls run compiled code. A fixed 15 s warm-up left the
   * compiler working 2.3 s of CPU during the 30 s idle measurement, and so did 30 s of warm-up at the
   * measured pace (1.5-1.8 s): at 100 calls/s a method called once per call needs minutes to reach
   * the optimizing compiler's thresholds. The warm-up traffic is therefore unpaced.
   */
  private static final long WARMUP_ROUND_NANOS = 5_000_000_000L;
  /** Pace of the warm-up traffic: more than the threads can make, so in effect none. */
  private static final double WARMUP_CALLS_PER_SECOND = 1_000_000;
  private static final int MIN_WARMUP_ROUNDS = 3;
  private static final int MAX_WARMUP_ROUNDS = 24;
  /** Length of the idle measurement. */
  private static final long IDLE_NANOS = 30_000_000_000L;
  /** Events per append while the update runs. */
  private static final int EVENT_BATCH = 100;
  /** Pace of the event stream: one batch per this many milliseconds (1,000 events/s). */
  private static final long EVENT_PAUSE_MILLIS = 100;

  private LiveBenchmark() {}

  /**
   * What to run.
   *
   * @param items listings in the index
   * @param threads read traffic threads
   * @param edits listings in the update batch
   * @param photoShare share of the edits that change the photo
   * @param events events arriving during the update
   * @param callsPerSecond read traffic of all threads together, recommendations and photo searches
   * @param photoSearchesPerSecond the share of that traffic that searches by photo, per second
   */
  public record Options(int items, int threads, int edits, double photoShare, int events, double callsPerSecond,
      double photoSearchesPerSecond) {
    public Options {
      if (!(callsPerSecond > 0) || !(photoSearchesPerSecond > 0) || photoSearchesPerSecond > callsPerSecond) {
        throw new IllegalArgumentException("traffic of " + callsPerSecond + " calls/s with " + photoSearchesPerSecond
            + " photo searches/s: both must be positive, photo searches at most all calls");
      }
    }

    /** One call in this many is a photo search. */
    int photoEvery() {
      return (int) Math.max(1, Math.round(callsPerSecond / photoSearchesPerSecond));
    }
  }

  /**
   * Runs the benchmark in {@code scratch} with the served model of {@code base} and an index grown to
   * {@code items} listings from its catalog.
   */
  public static Map<String, Object> run(Facet base, Path catalogDir, Options o, Path scratch) throws InterruptedException {
    copyModel(base, scratch);
    try (Facet facet = Facet.open(base.config().withWorkDir(scratch).withCatalogDir(catalogDir))) {
      long t0 = System.nanoTime();
      RecommendBenchmark.fill(base.index(), facet.index(), facet, o.items());
      List<String> synthetic = new ArrayList<>();
      for (String id : new TreeSet<>(facet.index().ids())) {
        if (id.startsWith("S-")) {
          synthetic.add(id);
        }
      }
      if (synthetic.size() < 2 * o.edits()) {
        throw new IllegalArgumentException("--items too small for two batches of " + o.edits() + " edits");
      }
      Random random = new Random(11);
      java.util.Collections.shuffle(synthetic, random);
      List<String> photoPaths = photoPaths(facet.index(), catalogDir);
      LiveEdits alone = LiveEdits.make(facet.index(), synthetic.subList(0, o.edits()), photoPaths, o.photoShare(), catalogDir, random);
      LiveEdits loaded = LiveEdits.make(facet.index(), synthetic.subList(o.edits(), 2 * o.edits()), photoPaths,
          o.photoShare(), catalogDir, random);
      double buildSeconds = (System.nanoTime() - t0) / 1e9;
      Map<String, Object> out = measure(facet, catalogDir, o, scratch, alone, loaded, photos(catalogDir, photoPaths));
      out.put("index_build_s", round(buildSeconds));
      return out;
    }
  }

  private static Map<String, Object> measure(Facet facet, Path catalogDir, Options o, Path scratch, LiveEdits alone,
      LiveEdits loaded, List<byte[]> photos) throws InterruptedException {
    List<String> users = facet.usersWithHistory();
    LiveTraffic traffic = new LiveTraffic(facet, users, photos, o.threads(), o.callsPerSecond(), o.photoEvery());
    // Loads the text encoder too, so the first batch does not pay for it.
    facet.similar().byText("gold ring", SimilarItems.TextMode.VECTOR, LiveTraffic.K, dev.facet.core.Filter.NONE);
    LiveTraffic warmup = new LiveTraffic(facet, users, photos, o.threads(), WARMUP_CALLS_PER_SECOND, o.photoEvery());
    int warmupRounds = warmUp(warmup);
    RecommendCallProfile idlePhase = RecommendCallProfile.start(facet.index()::knnStats);
    LiveTraffic.Calls idle = timed(traffic, IDLE_NANOS, 2);
    Map<String, Object> idleProfile = idlePhase.finish(idle, facet);
    long idleErrors = traffic.errors.get();
    double aloneRate = upsert(facet, alone, catalogDir, scratch.resolve("batch-alone.jsonl"));
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<Double> loadRate = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread update = new Thread(() -> {
      try {
        Thread events = new Thread(() -> streamEvents(facet, users, new ArrayList<>(loaded.sent.keySet()), o.events()));
        events.start();
        loadRate.set(upsert(facet, loaded, catalogDir, scratch.resolve("batch-load.jsonl")));
        events.join();
      } catch (Throwable e) {
        failure.set(e);
      } finally {
        done.set(true);
      }
    }, "facet-live-update");
    long start = System.nanoTime();
    RecommendCallProfile loadPhase = RecommendCallProfile.start(facet.index()::knnStats);
    update.start();
    LiveTraffic.Calls underLoad = traffic.runUntil(done::get, 3);
    double loadSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> loadProfile = loadPhase.finish(underLoad, facet);
    if (failure.get() != null) {
      throw new IllegalStateException("the live update failed: " + failure.get(), failure.get());
    }
    List<String> mismatches = new ArrayList<>(alone.mismatches(facet.index(), catalogDir));
    mismatches.addAll(loaded.mismatches(facet.index(), catalogDir));
    Map<String, Object> out = report(o, idle.nanos(), underLoad.nanos(), idle.photoLatencies(),
        underLoad.photoLatencies(), traffic, warmup, idleErrors, aloneRate, loadRate.get(),
        loadSeconds, mismatches, facet.index());
    out.put("recommend_calls_per_s_idle", round(idle.size() / (IDLE_NANOS / 1e9)));
    out.put("recommend_calls_per_s_under_load", round(underLoad.size() / loadSeconds));
    out.put("warmup_s", warmupRounds * WARMUP_ROUND_NANOS / 1_000_000_000L);
    // Whether the traffic's calls ran ahead of the update (RequestPriority): the kernel may refuse.
    out.put("request_priority", Map.of("state", facet.requestPriority().state().label(),
        "raised_calls", facet.requestPriority().raisedCalls()));
    out.put("profile_idle", idleProfile);
    out.put("profile_under_load", loadProfile);
    return out;
  }

  /** Runs warm-up rounds of traffic until the JIT goes quiet; returns the rounds run. */
  private static int warmUp(LiveTraffic traffic) throws InterruptedException {
    return JitWarmup.untilQuiet(() -> timed(traffic, WARMUP_ROUND_NANOS, 1), MIN_WARMUP_ROUNDS, MAX_WARMUP_ROUNDS);
  }

  private static LiveTraffic.Calls timed(LiveTraffic traffic, long nanos, long seed) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    return traffic.runUntil(() -> System.nanoTime() > end, seed);
  }

  /** Upserts the batch; returns listings per second. */
  private static double upsert(Facet facet, LiveEdits edits, Path catalogDir, Path file) {
    edits.write(file);
    long start = System.nanoTime();
    CatalogIngestor.Report r = facet.ingestor().upsertBatch(file, catalogDir, catalogDir, CatalogIngestor.Progress.NONE);
    double seconds = (System.nanoTime() - start) / 1e9;
    // What the batch turned into (embedded vs metadata-only), for whoever reads the bench's log.
    System.err.println("[live-bench] " + file.getFileName() + ": " + r.summary());
    if (r.rejected() > 0 || r.upserted() + r.edited() != edits.sent.size()) {
      throw new IllegalStateException("the update was not applied whole: " + r.summary());
    }
    // Only photo changes may be embedded again, and the model must stay served: otherwise the run
    // measures a different workload (every listing embedded, popularity instead of the model).
    if (r.upserted() != edits.imageBefore.size() || r.retiredModel() != null) {
      throw new IllegalStateException("the update embedded " + r.upserted() + " listings for "
          + edits.imageBefore.size() + " photo changes: " + r.summary());
    }
    return edits.sent.size() / seconds;
  }

  /** {@code total} events by known users on the edited listings, {@value #EVENT_BATCH} at a time, paced. */
  private static void streamEvents(Facet facet, List<String> users, List<String> items, int total) {
    Random random = new Random(5);
    EventType[] types = EventType.values();
    try {
      for (int sent = 0; sent < total; sent += EVENT_BATCH) {
        List<Interaction> batch = new ArrayList<>(EVENT_BATCH);
        for (int i = 0; i < Math.min(EVENT_BATCH, total - sent); i++) {
          batch.add(new Interaction(users.get(random.nextInt(users.size())), items.get(random.nextInt(items.size())),
              types[random.nextInt(types.length)], Instant.now()));
        }
        facet.recordEvents(batch);
        Thread.sleep(EVENT_PAUSE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<String, Object> report(Options o, long[] idle, long[] underLoad, long[] idlePhotos,
      long[] loadPhotos, LiveTraffic traffic,
      LiveTraffic warmup, long idleErrors, double aloneRate, double loadRate, double loadSeconds, List<String> mismatches,
      CatalogIndex index) {
    double idleP99 = RecommendBenchmark.percentile(idle, 0.99);
    double loadP99 = RecommendBenchmark.percentile(underLoad, 0.99);
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p99_ratio", round(loadP99 / idleP99));
    // A call that fails while warming up is an error of the run as much as a measured one.
    m.put("errors", traffic.errors.get() + warmup.errors.get());
    m.put("index_matches", mismatches.isEmpty() && index.size() == o.items());
    m.put("items", o.items());
    m.put("index_size", index.size());
    m.put("threads", o.threads());
    m.put("traffic_calls_per_s", o.callsPerSecond());
    m.put("photo_searches_per_s", o.photoSearchesPerSecond());
    m.put("recommend_idle", latency(idle));
    m.put("recommend_under_load", latency(underLoad));
    m.put("photo_searches", traffic.photoSearches.get());
    m.put("photo_search_idle", latency(idlePhotos));
    m.put("photo_search_under_load", latency(loadPhotos));
    m.put("errors_warmup", warmup.errors.get());
    m.put("errors_idle", idleErrors);
    m.put("first_error", warmup.firstError() != null ? warmup.firstError() : traffic.firstError());
    m.put("edits", o.edits());
    m.put("photo_share", o.photoShare());
    m.put("ingest_idle_listings_per_s", round(aloneRate));
    m.put("ingest_under_load_listings_per_s", round(loadRate));
    m.put("ingest_load_over_idle", round(loadRate / aloneRate));
    m.put("events", o.events());
    m.put("load_phase_s", round(loadSeconds));
    m.put("mismatches", mismatches.size());
    m.put("first_mismatches", mismatches.subList(0, Math.min(5, mismatches.size())));
    return m;
  }

  private static Map<String, Object> latency(long[] nanos) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("calls", nanos.length);
    if (nanos.length == 0) {
      return m;
    }
    m.put("p50_ms", round(RecommendBenchmark.percentile(nanos, 0.50)));
    m.put("p99_ms", round(RecommendBenchmark.percentile(nanos, 0.99)));
    return m;
  }

  private static List<String> photoPaths(CatalogIndex index, Path catalogDir) {
    List<String> out = new ArrayList<>();
    for (String id : new TreeSet<>(index.ids())) {
      if (!id.startsWith("S-")) {
        index.get(id).ifPresent(d -> out.add(d.listing().primaryImage()));
      }
    }
    return out;
  }

  private static List<byte[]> photos(Path catalogDir, List<String> paths) {
    List<byte[]> out = new ArrayList<>();
    for (String p : paths.subList(0, Math.min(50, paths.size()))) {
      try {
        out.add(Files.readAllBytes(catalogDir.resolve(p)));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  private static void copyModel(Facet base, Path scratch) {
    RecommendBenchmark.copyModel(base, scratch);
  }


  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
