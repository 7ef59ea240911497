package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.EventType;
import dev.facet.core.Filter;
import dev.facet.core.ListingAttribute;
import dev.facet.core.VectorMath;
import dev.facet.core.Interaction;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.index.CatalogSearch;
import dev.facet.index.VectorField;
import dev.facet.model.JointModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * Ranked recommendations in three stages: (1) maximum-inner-product KNN on the joint item vectors
 * inside Lucene, with the filter applied during the search and purchased items excluded; (2) re-rank
 * of the candidates by the model score {@code u·v} plus its item-to-item term over the user's last
 * {@value #HISTORY} events ({@link JointModel#rerankTerm}); (3) MMR diversity over image vectors. Every
 * recommendation carries reasons derived from the model: the past item the user's attention weighted
 * most among those close to the candidate, and attributes matching the user's predicted preferences.
 *
 * <p>The user tower and preference head run in plain Java ({@link dev.facet.model.JointInference},
 * exported once per model version) and candidates carry only the vectors and keyword attributes the
 * stages need, so no stored listing is decompressed on the ranking path.
 *
 * <p>Callers' threads should mark themselves as request threads ({@link
 * dev.facet.core.RequestThreads#markCurrent}): they get the request time slice, and while a live catalog
 * update or a training run is under way each call runs ahead of it ({@link RequestPriority}).
 *
 * <p>Thread-safe: it holds no per-call state; concurrent callers beyond {@link
 * RecommendSettings#concurrentRankings()} wait their turn in arrival order.
 */
@Singleton
public final class Recommender {
  /** Candidates retrieved per requested item before re-ranking and diversity. */
  static final int CANDIDATES_PER_ITEM = 4;
  static final int MIN_CANDIDATES = 40;
  /** Popular items looked up per round trip when a user has no history. */
  private static final int POPULAR_PAGE = 64;
  /** How many recent events feed the user tower. */
  static final int HISTORY = 50;
  /** Vectors re-ranking (joint) and diversity (image) read for every candidate. */
  private static final Set<VectorField> CANDIDATE_VECTORS = EnumSet.of(VectorField.JOINT, VectorField.IMAGE);

  private final ServingGenerations generations;
  private final BehaviourStore behaviour;
  private final RecommendSettings settings;
  private final FallbackRecommendations fallback;
  /** Admission in arrival order: at most {@code concurrentRankings} calls rank at once. */
  private final Semaphore admission;
  private final RequestPriority requests;

  @Inject
  Recommender(ServingGenerations generations, BehaviourStore behaviour, RecommendSettings settings,
      FallbackRecommendations fallback, RequestPriority requests) {
    this.requests = requests;
    this.generations = generations;
    this.fallback = fallback;
    this.behaviour = behaviour;
    this.settings = settings;
    this.admission = new Semaphore(settings.concurrentRankings(), true);
  }

  /**
   * Top {@code k} listings for a user. Unknown users (no history and no training data) get the most
   * popular listings within the filter.
   *
   * @throws IllegalArgumentException when k is outside [1, {@link CatalogSearch#MAX_K}]
   */
  public List<Recommendation> recommend(String userId, int k, Filter filter) {
    return recommendations(userId, k, filter).items();
  }

  /**
   * As {@link #recommend} with the generation that ranked them: the call pins one generation (model
   * and index view, {@link ServingGenerations}) from start to end.
   */
  public Recommendations recommendations(String userId, int k, Filter filter) {
    checkK(k);
    requests.beforeCall();
    admit();
    try (ServingGenerations.Snapshot generation = generations.acquire()) {
      return new Recommendations(recommendAdmitted(generation, userId, k, filter), generation.generation());
    } finally {
      admission.release();
    }
  }

  private List<Recommendation> recommendAdmitted(ServingGenerations.Snapshot generation, String userId, int k,
      Filter filter) {
    List<Interaction> history = behaviour.recent(userId, HISTORY);
    Optional<ServingModel> model = generation.model();
    if (model.isEmpty() || history.isEmpty()) {
      return popular(history, behaviour.purchased(userId), k, filter);
    }
    // asked now: the user's last session shapes the ranking only while it is still going
    JointModel.UserVector user = model.get().inference().userVector(userId, history, behaviour.profile(userId), Instant.now());
    return rank(generation.search(), model.get(), user, history, behaviour.purchased(userId), k, filter,
        settings.mmrLambda());
  }

  /** Top {@code k} for an anonymous session: the items it viewed stand in for a history. */
  public List<Recommendation> recommendForSession(List<String> sessionItems, int k, Filter filter) {
    return recommendationsForSession(sessionItems, k, filter).items();
  }

  /** As {@link #recommendForSession} with the generation that ranked them. */
  public Recommendations recommendationsForSession(List<String> sessionItems, int k, Filter filter) {
    checkK(k);
    requests.beforeCall();
    admit();
    try (ServingGenerations.Snapshot generation = generations.acquire()) {
      return new Recommendations(recommendForSessionAdmitted(generation, sessionItems, k, filter),
          generation.generation());
    } finally {
      admission.release();
    }
  }

  /**
   * Waits for a ranking slot. CPU-bound calls beyond the cores would only be preempted halfway by
   * the OS; queueing them here, first come first served, keeps each call's latency near its own
   * compute time plus the calls ahead of it.
   */
  private void admit() {
    try {
      admission.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to rank", e);
    }
  }

  private List<Recommendation> recommendForSessionAdmitted(ServingGenerations.Snapshot generation,
      List<String> sessionItems, int k, Filter filter) {
    Optional<ServingModel> model = generation.model();
    if (model.isEmpty() || sessionItems.isEmpty()) {
      List<Interaction> session = new ArrayList<>();
      for (String item : sessionItems) {
        session.add(new Interaction("session", item, EventType.CLICK, Instant.now()));
      }
      return popular(session, Set.copyOf(sessionItems), k, filter);
    }
    Instant now = Instant.now();
    List<Interaction> history = new ArrayList<>();
    for (int i = 0; i < sessionItems.size(); i++) {
      history.add(new Interaction("session", sessionItems.get(i), EventType.CLICK, now.plusMillis(i)));
    }
    JointModel.UserVector user = model.get().inference().userVector(null, history, null);
    return rank(generation.search(), model.get(), user, history, Set.copyOf(sessionItems), k, filter,
        settings.mmrLambda());
  }

  /**
   * Top {@code k} for a user as of a past history (offline replays such as leave-last-out evaluation or
   * choosing the MMR trade-off): the user tower reads the last {@value #HISTORY} events of {@code history}
   * and the user's profile, then the same three stages as {@link #recommend} run with {@code mmrLambda}.
   * Empty when no model is trained.
   */
  public List<Recommendation> recommendAsOf(String userId, List<Interaction> history, Set<String> exclude, int k,
      Filter filter, double mmrLambda) {
    checkK(k);
    try (ServingGenerations.Snapshot generation = generations.acquire()) {
      Optional<ServingModel> model = generation.model();
      if (model.isEmpty()) {
        return List.of();
      }
      List<Interaction> recent = history.subList(Math.max(0, history.size() - HISTORY), history.size());
      JointModel.UserVector user = model.get().inference().userVector(userId, recent, behaviour.profile(userId));
      return rank(generation.search(), model.get(), user, history, exclude, k, filter, mmrLambda);
    }
  }

  /**
   * The three ranking stages for a given user vector.
   * Candidates come back from the index with only their joint and image vectors and keyword
   * attributes (doc values): no stored listing is read.
   */
  List<Recommendation> rank(CatalogSearch index, ServingModel model, JointModel.UserVector user,
      List<Interaction> history, Set<String> exclude, int k, Filter filter, double mmrLambda) {
    Filter effective = settings.inStockOnly() ? inStock(filter) : filter;
    int wanted = Math.min(CatalogSearch.MAX_K, Math.max(MIN_CANDIDATES, k * CANDIDATES_PER_ITEM));
    List<CatalogSearch.VectorHit> hits =
        index.knnVectors(VectorField.JOINT, user.vector(), wanted, effective, exclude, CANDIDATE_VECTORS);
    List<MmrDiversifier.Candidate<Scored>> candidates = new ArrayList<>(hits.size());
    // the vectors retrieve; the model's item-to-item term (not an inner product) joins at re-ranking
    java.util.function.ToDoubleFunction<String> rerank = model.model().rerankTerm(history);
    for (CatalogSearch.VectorHit hit : hits) {
      float[] joint = hit.vector(VectorField.JOINT);
      if (joint == null) {
        continue; // not yet given a joint vector
      }
      double score = VectorMath.dot(user.vector(), joint) + rerank.applyAsDouble(hit.id());
      candidates.add(new MmrDiversifier.Candidate<>(new Scored(hit.id(), joint, hit.attributes(), score), score,
          hit.vector(VectorField.IMAGE)));
    }
    List<MmrDiversifier.Candidate<Scored>> picked = new MmrDiversifier(mmrLambda).select(candidates, k);
    Explanations explanations = new Explanations(index, model, user, history);
    List<Recommendation> out = new ArrayList<>(picked.size());
    for (MmrDiversifier.Candidate<Scored> c : picked) {
      out.add(new Recommendation(c.item().id(), c.item().score(), explanations.reasonsFor(c.item())));
    }
    return out;
  }

  /** Without a model or a history: content, popularity, then the catalog; see {@link FallbackRecommendations}. */
  private List<Recommendation> popular(List<Interaction> history, Set<String> exclude, int k, Filter filter) {
    Filter effective = settings.inStockOnly() ? inStock(filter) : filter;
    return fallback.recommend(history, exclude, k, effective, filter);
  }

  private static Filter inStock(Filter f) {
    return new Filter(f.minPrice(), f.maxPrice(), f.categories(), f.materials(), f.gemstones(), f.merchants(), true);
  }

  private static void checkK(int k) {
    CatalogSearch.checkK(k);
  }

  /** A candidate: id, joint vector, keyword attributes (by Listing field name) and model score. */
  private record Scored(String id, float[] joint, Map<String, String> attributes, double score) {}

  /** Builds reasons for one user's candidates from the model's attention and preference heads. */
  private static final class Explanations {
    /** History items considered for a "similar to" reason. */
    private static final int ATTENDED = 5;
    /** Listing attributes a "matches your taste" reason may name, in the order named. */
    private static final List<ListingAttribute> TASTE_KEYS = List.of(ListingAttribute.MATERIAL, ListingAttribute.GEMSTONE,
        ListingAttribute.CATEGORY, ListingAttribute.STYLE, ListingAttribute.COLOR);
    private final CatalogSearch index;
    private final ServingModel model;
    private final JointModel.UserVector user;
    private final Map<String, EventType> lastEvent = new java.util.HashMap<>();
    private final double[] preferences;
    /** Per attribute key, the largest predicted probability of its values (computed on first use). */
    private final Map<String, Double> topProbability = new java.util.HashMap<>();
    /** Joint vectors of the most attended history items, fetched once per call. */
    private Map<String, float[]> attended;

    Explanations(CatalogSearch index, ServingModel model, JointModel.UserVector user, List<Interaction> history) {
      this.index = index;
      this.model = model;
      this.user = user;
      for (Interaction i : history) {
        lastEvent.merge(i.item(), i.event(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
      }
      this.preferences = model.inference().preferenceProbabilities(user.vector());
    }

    /**
     * The {@value #ATTENDED} history items with the largest attention weights, largest first, with
     * their indexed joint vectors (items no longer indexed are left out).
     */
    private Map<String, float[]> attended() {
      if (attended == null) {
        Integer[] order = new Integer[user.attention().length];
        for (int i = 0; i < order.length; i++) {
          order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Float.compare(user.attention()[b], user.attention()[a]));
        List<String> top = new ArrayList<>(ATTENDED);
        for (int i = 0; i < Math.min(ATTENDED, order.length); i++) {
          top.add(user.history().get(order[i]));
        }
        attended = index.vectors(VectorField.JOINT, top);
      }
      return attended;
    }

    List<Reason> reasonsFor(Scored candidate) {
      List<Reason> reasons = new ArrayList<>(2);
      historyReason(candidate).ifPresent(reasons::add);
      tasteReason(candidate.attributes()).ifPresent(reasons::add);
      return reasons;
    }

    /**
     * Among the history items the model attends to most, the one closest to the candidate: the
     * reason names an item that both drove the user vector and resembles what is recommended.
     */
    private Optional<Reason> historyReason(Scored candidate) {
      String best = null;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (Map.Entry<String, float[]> past : attended().entrySet()) {
        if (past.getKey().equals(candidate.id())) {
          continue;
        }
        double value = MmrDiversifier.cosine(past.getValue(), candidate.joint());
        if (value > bestValue) {
          bestValue = value;
          best = past.getKey();
        }
      }
      if (best == null) {
        return Optional.empty();
      }
      EventType event = lastEvent.getOrDefault(best, EventType.VIEW);
      return Optional.of(new Reason(Reason.Kind.SIMILAR_TO_HISTORY, "similar to " + best + " you " + pastTense(event), best));
    }

    private Optional<Reason> tasteReason(Map<String, String> attributes) {
      List<String> matches = new ArrayList<>();
      for (ListingAttribute attribute : TASTE_KEYS) {
        String key = attribute.key();
        String value = attributes.get(key);
        if (value == null || value.equals("none")) {
          continue; // "no gemstone" is not a taste worth naming
        }
        int token = model.token(key, value);
        if (token >= 0 && preferences[token] >= topProbability(key) * 0.8) {
          matches.add(value.replace('_', ' '));
        }
      }
      if (matches.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Reason(Reason.Kind.MATCHES_TASTE, "matches your taste: " + String.join(", ", matches), null));
    }

    private double topProbability(String key) {
      return topProbability.computeIfAbsent(key, k -> {
        int[] range = model.keyRange(k);
        double max = 0;
        for (int j = range == null ? 0 : range[0]; range != null && j < range[1]; j++) {
          max = Math.max(max, preferences[j]);
        }
        return max;
      });
    }

    private static String pastTense(EventType e) {
      return switch (e) {
        case VIEW -> "viewed";
        case CLICK -> "clicked";
        case FAVORITE -> "saved";
        case CART -> "put in your cart";
        case PURCHASE -> "bought";
      };
    }
  }
}
