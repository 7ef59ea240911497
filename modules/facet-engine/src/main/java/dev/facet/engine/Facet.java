package dev.facet.engine;

import com.google.inject.Guice;
import com.google.inject.Inject;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.Provider;
import com.google.inject.ProvisionException;
import dev.facet.catalog.CatalogModule;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.CoreModule;
import dev.facet.core.FacetConfig;
import dev.facet.core.FacetException;
import dev.facet.core.Filter;
import dev.facet.core.Interaction;
import dev.facet.core.Listing;
import dev.facet.core.Recommendation;
import dev.facet.embed.EmbedModule;
import dev.facet.embed.EmbedSettings;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexModule;
import dev.facet.model.JointModel;
import dev.facet.model.ModelModule;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The engine facade: one instance per work directory, safe for concurrent use. Build it with {@link
 * #open(FacetConfig)}, or install {@link #modules(FacetConfig)} into an application's own injector
 * and ask it for a {@code Facet}.
 *
 * <p>Heavy parts (encoders, index, model) are created on first use, so a command that only reads
 * the catalog never loads a neural network.
 *
 * <p>Live use: every call is safe while the engine serves. Writers (catalog ingests and batch
 * upserts/deletes through {@link #ingestor()}, the publication of a model trained by {@link
 * #training()}) take one writer lock in turn; searches and recommendations never wait for it.
 */
public final class Facet implements AutoCloseable {
  private final FacetConfig config;
  private final Provider<CatalogReader> catalogReader;
  private final Provider<CatalogIndex> index;
  private final Provider<CatalogIngestor> ingestor;
  private final Provider<SimilarItems> similar;
  private final Provider<Recommender> recommender;
  private final Provider<ModelTraining> training;
  private final BehaviourService behaviour;
  private final ModelHolder models;
  private final ItemFeaturesFactory features;
  private final EngineResources resources;
  private final Provider<ServingGenerations> generations;
  private final RequestPriority requestPriority;

  @Inject
  Facet(FacetConfig config, Provider<CatalogReader> catalogReader, Provider<CatalogIndex> index,
      Provider<CatalogIngestor> ingestor, Provider<SimilarItems> similar, Provider<Recommender> recommender,
      Provider<ModelTraining> training, BehaviourService behaviour, ModelHolder models, ItemFeaturesFactory features,
      EngineResources resources, Provider<ServingGenerations> generations, RequestPriority requestPriority) {
    this.requestPriority = requestPriority;
    this.generations = generations;
    this.config = config;
    this.catalogReader = catalogReader;
    this.index = index;
    this.ingestor = ingestor;
    this.similar = similar;
    this.recommender = recommender;
    this.training = training;
    this.behaviour = behaviour;
    this.models = models;
    this.features = features;
    this.resources = resources;
  }

  /** Builds a Facet with its own injector. */
  public static Facet open(FacetConfig config) {
    return open(config, EmbedSettings.defaults());
  }

  /** Builds a Facet with its own injector and explicit encoder settings (e.g. a TorchScript image model). */
  public static Facet open(FacetConfig config, EmbedSettings embed) {
    Injector injector = Guice.createInjector(modules(config, embed));
    return injector.getInstance(Facet.class);
  }

  /** Every Guice module Facet needs, for applications that build their own injector. */
  public static List<Module> modules(FacetConfig config) {
    return modules(config, EmbedSettings.defaults());
  }

  /** The Guice modules with explicit encoder settings (e.g. a TorchScript image model file). */
  public static List<Module> modules(FacetConfig config, EmbedSettings embed) {
    return List.of(new CoreModule(config), new CatalogModule(), new EmbedModule(embed),
        new IndexModule(), new ModelModule(), new EngineModule());
  }

  /** The configuration this instance was opened with. */
  public FacetConfig config() {
    return config;
  }

  /** Reads and validates catalog files. */
  public CatalogReader catalogReader() {
    return provided(catalogReader);
  }

  /** The Lucene catalog index under {@code <work>/index}, opened on first use. */
  public CatalogIndex index() {
    return provided(index);
  }

  /** Catalog ingestion into the index. */
  public CatalogIngestor ingestor() {
    return provided(ingestor);
  }

  /** Similar-listing search by listing, photo or text. */
  public SimilarItems similar() {
    return provided(similar);
  }

  /**
   * Whether request calls run ahead of a catalog update or training run (real-time while one is under
   * way): see {@link RequestPriority}. Threads that serve requests mark themselves with {@link
   * dev.facet.core.RequestThreads#markCurrent} once.
   */
  public RequestPriority requestPriority() {
    return requestPriority;
  }

  /** Training of the joint model on the ingested catalog and its behaviour data. */
  public ModelTraining training() {
    return provided(training);
  }

  /** Ranked recommendations for a user; see {@link Recommender#recommend}. */
  public List<Recommendation> recommend(String userId, int k, Filter filter) {
    behaviour.ensureLoaded();
    return provided(recommender).recommend(userId, k, filter);
  }

  /**
   * As {@link #recommend} with the id of the model generation that ranked them (null when no model is
   * trained): one answer never mixes two generations, even while a retrained model is published.
   */
  public Recommendations recommendations(String userId, int k, Filter filter) {
    behaviour.ensureLoaded();
    return provided(recommender).recommendations(userId, k, filter);
  }

  /** As {@link #recommendForSession} with the generation that ranked them. */
  public Recommendations recommendationsForSession(List<String> sessionItems, int k, Filter filter) {
    behaviour.ensureLoaded();
    return provided(recommender).recommendationsForSession(sessionItems, k, filter);
  }

  /** Ranked recommendations for an anonymous session given the items it looked at. */
  public List<Recommendation> recommendForSession(List<String> sessionItems, int k, Filter filter) {
    behaviour.ensureLoaded();
    return provided(recommender).recommendForSession(sessionItems, k, filter);
  }

  /** Records a live event; the user's next recommendations reflect it without retraining. */
  public void recordEvent(Interaction event) {
    behaviour.record(event);
  }

  /** See {@link Recommender#recommendAsOf}. */
  public List<Recommendation> recommendAsOf(String userId, List<Interaction> history, Set<String> exclude, int k,
      Filter filter, double mmrLambda) {
    behaviour.ensureLoaded();
    return provided(recommender).recommendAsOf(userId, history, exclude, k, filter, mmrLambda);
  }

  /** Users with at least one recorded event, sorted. */
  public List<String> usersWithHistory() {
    behaviour.ensureLoaded();
    return behaviour.store().usersWithHistory();
  }

  /** A user's last {@code max} events, oldest first. */
  public List<Interaction> history(String userId, int max) {
    behaviour.ensureLoaded();
    return behaviour.store().recent(userId, max);
  }

  /** The listings a user bought; recommendations never offer them again. */
  public Set<String> purchased(String userId) {
    behaviour.ensureLoaded();
    return Set.copyOf(behaviour.store().purchased(userId));
  }

  /**
   * The served user tower's vector for a user's recent history and profile (the query vector of {@link
   * #recommend}), or empty when no model is trained.
   */
  public Optional<float[]> userVector(String userId) {
    behaviour.ensureLoaded();
    BehaviourStore store = behaviour.store();
    return models.serving().map(m -> m.inference()
        .userVector(userId, store.recent(userId, Recommender.HISTORY), store.profile(userId)).vector());
  }

  /**
   * The joint vector of a listing from its content alone, as a listing ingested after training gets it.
   *
   * @throws FacetException when no model is trained in the work directory
   */
  public float[] contentVector(Listing listing, float[] image, float[] text) {
    JointModel model = models.current()
        .orElseThrow(() -> new FacetException("no trained model in " + config.workDir()));
    return model.itemVectorFromContent(features.of(listing, image, text));
  }

  /** The served model's file, {@code <work>/model/joint.model}. */
  public static Path modelFile(FacetConfig config) {
    return ModelHolder.modelFile(config);
  }

  /** Records events in one append; see {@link #recordEvent}. */
  public void recordEvents(List<Interaction> events) {
    behaviour.recordAll(events);
  }

  ModelHolder models() {
    return models;
  }

  ServingGenerations generations() {
    return generations.get();
  }

  ItemFeaturesFactory features() {
    return features;
  }

  BehaviourService behaviour() {
    return behaviour;
  }

  /** Closes the index, encoders and model this instance opened. */
  @Override
  public void close() {
    behaviour.close();
    resources.close();
  }

  /**
   * The service from its provider, with Facet's own error (e.g. an index built for other vector
   * sizes, a missing model file) rethrown as it is instead of inside Guice's provision report.
   */
  private static <T> T provided(Provider<T> provider) {
    try {
      return provider.get();
    } catch (ProvisionException e) {
      if (e.getCause() instanceof FacetException facetError) {
        throw facetError;
      }
      throw e;
    }
  }
}
