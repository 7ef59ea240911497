package dev.facet.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.facet.core.Device;
import dev.facet.core.EventType;
import dev.facet.core.FacetConfig;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.core.Recommendation;
import dev.facet.index.CatalogSearch;
import dev.facet.index.IndexedListing;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * At most {@code concurrentRankings} calls compute at once; the rest wait and all are answered. A
 * request thread's call runs real-time while a catalog write is under way ({@link RequestPriority}).
 */
class RecommenderAdmissionTest {
  @TempDir
  Path work;

  @Test
  void noMoreCallsRankAtOnceThanTheSettingAllows() throws Exception {
    for (int permits : new int[] {1, 2}) {
      AtomicInteger inside = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      CatalogSearch index = countingIndex(inside, most);
      BehaviourStore behaviour = new BehaviourStore();
      for (int i = 0; i < 5; i++) {
        behaviour.add(new Interaction("u-" + i, "R-" + i, EventType.VIEW, Instant.parse("2026-01-01T00:00:00Z")));
      }
      // No trained model in the work directory: every call takes the popular-items path.
      ModelHolder models = new ModelHolder(new FacetConfig(work, work, null, 2, Device.CPU, 1L));
      Recommender recommender = new Recommender(new ServingGenerations(models, index), behaviour,
          new RecommendSettings(0.5, false, permits),
          new FallbackRecommendations(index, behaviour, java.util.List::<String>of), new RequestPriority(false));
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<List<Recommendation>>> calls = new ArrayList<>();
        for (int c = 0; c < 24; c++) {
          calls.add(pool.submit(() -> recommender.recommend("nobody", 3, Filter.NONE)));
        }
        for (Future<List<Recommendation>> call : calls) {
          assertThat(call.get()).hasSize(3);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(most.get()).as("rankings at once with %d permits", permits).isEqualTo(permits);
    }
  }

  @Test
  void aMarkedCallerRanksRealtimeWhileACatalogWriteRunsAndOrdinaryOtherwise() throws Exception {
    List<Boolean> realtimeAtLookup = java.util.Collections.synchronizedList(new ArrayList<>());
    CatalogSearch index = countingIndex(new AtomicInteger(), new AtomicInteger(), realtimeAtLookup);
    BehaviourStore behaviour = new BehaviourStore();
    behaviour.add(new Interaction("u-0", "R-0", EventType.VIEW, Instant.parse("2026-01-01T00:00:00Z")));
    ModelHolder models = new ModelHolder(new FacetConfig(work, work, null, 2, Device.CPU, 1L));
    RequestPriority priority = new RequestPriority(true);
    Recommender recommender = new Recommender(new ServingGenerations(models, index), behaviour,
        new RecommendSettings(0.5, false, 1), new FallbackRecommendations(index, behaviour, java.util.List::<String>of),
        priority);
    ExecutorService requestThread = Executors.newSingleThreadExecutor();
    try {
      requestThread.submit(() -> dev.facet.core.RequestThreads.markCurrent()).get();
      Callable<List<Recommendation>> call = () -> recommender.recommend("u-0", 2, Filter.NONE);
      requestThread.submit(call).get();
      int idle = realtimeAtLookup.size();
      new LowPriorityWriter(false, priority).run(() -> {
        try {
          return requestThread.submit(call).get();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      int during = realtimeAtLookup.size();
      requestThread.submit(call).get();
      org.junit.jupiter.api.Assumptions.assumeTrue(priority.state() == RequestPriority.State.REALTIME,
          "SCHED_RR refused here (" + priority.state() + "): no CAP_SYS_NICE and no real-time priority limit");
      assertThat(realtimeAtLookup.subList(0, idle)).as("lookups with no write under way").isNotEmpty().containsOnly(false);
      assertThat(realtimeAtLookup.subList(idle, during)).as("lookups during the write").isNotEmpty().containsOnly(true);
      assertThat(realtimeAtLookup.subList(during, realtimeAtLookup.size())).as("lookups of the first call after it")
          .isNotEmpty().containsOnly(false);
    } finally {
      requestThread.shutdownNow();
    }
  }

  @Test
  void settingsRejectANonPositiveLimit() {
    assertThatThrownBy(() -> new RecommendSettings(0.5, true, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThat(RecommendSettings.forCores(3).concurrentRankings()).isEqualTo(3);
  }

  /** An index whose listing lookups take a few ms and record how many callers are inside at once. */
  private static CatalogSearch countingIndex(AtomicInteger inside, AtomicInteger most) {
    return countingIndex(inside, most, java.util.Collections.synchronizedList(new ArrayList<>()));
  }

  /** As above, also recording whether each lookup ran real-time ({@link RequestPriority}). */
  private static CatalogSearch countingIndex(AtomicInteger inside, AtomicInteger most, List<Boolean> realtimeAtLookup) {
    return (CatalogSearch) Proxy.newProxyInstance(CatalogSearch.class.getClassLoader(), new Class<?>[] {CatalogSearch.class},
        (proxy, method, args) -> {
          if (!method.getName().equals("get") && !method.getName().equals("getAll")) {
            throw new UnsupportedOperationException(method.getName());
          }
          realtimeAtLookup.add(dev.facet.core.RequestThreads.currentRealtime().orElse(false));
          int now = inside.incrementAndGet();
          most.accumulateAndGet(now, Math::max);
          try {
            Thread.sleep(5);
          } finally {
            inside.decrementAndGet();
          }
          if (method.getName().equals("get")) {
            return Optional.of(doc((String) args[0]));
          }
          Map<String, IndexedListing> docs = new java.util.LinkedHashMap<>();
          for (Object id : (java.util.Collection<?>) args[0]) {
            docs.put((String) id, doc((String) id));
          }
          return docs;
        });
  }

  private static IndexedListing doc(String id) {
    Listing listing = new Listing(id, "戒指 " + id, "ring " + id, "", "ring", "gold_18k", "none", "gold", "classic",
        100, "CNY", "m-1", List.of("images/" + id + ".jpg"), true, Map.of());
    return new IndexedListing(listing, "h", null, null, null);
  }
}
