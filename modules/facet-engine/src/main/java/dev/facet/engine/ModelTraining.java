package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.FacetConfig;
import dev.facet.core.Filter;
import dev.facet.core.SearchHit;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import dev.facet.index.VectorField;
import dev.facet.model.DataSplit;
import dev.facet.model.EvaluationReport;
import dev.facet.model.EvaluationRunner;
import dev.facet.model.HardNegativeSource;
import dev.facet.model.JointModel;
import dev.facet.model.JointModelConfig;
import dev.facet.model.JointTrainer;
import dev.facet.model.RecDataset;
import dev.facet.model.TrainingListener;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Trains the joint model on the ingested catalog, makes it the served model and writes every item's
 * joint vector into the index (content-only vectors for listings the model never saw).
 */
@Singleton
public final class ModelTraining {
  private final FacetConfig config;
  private final CatalogIndex index;
  private final CatalogDatasets datasets;
  private final ModelHolder models;
  private final ItemFeaturesFactory features;
  private final JointModelConfig jointConfig;
  private final WriterLock writer;
  private final BehaviourService behaviour;
  private final RequestPriority requests;
  /** Events loaded when the served model was trained (or when this engine found it on disk). */
  private volatile long eventsAtTraining = -1;

  /**
   * Events needed before a serving engine trains its first model by itself ({@link #due}): below
   * this the model would learn little more than popularity, which the fallback already serves.
   */
  public static final int MIN_EVENTS_TO_TRAIN = 200;
  /** A serving engine retrains once the events grew by this share since the served model was trained. */
  public static final double RETRAIN_GROWTH = 0.5;

  @Inject
  ModelTraining(FacetConfig config, CatalogIndex index, CatalogDatasets datasets, ModelHolder models,
      ItemFeaturesFactory features, JointModelConfig jointConfig, WriterLock writer, BehaviourService behaviour,
      RequestPriority requests) {
    this.requests = requests;
    this.writer = writer;
    this.behaviour = behaviour;
    this.config = config;
    this.index = index;
    this.datasets = datasets;
    this.models = models;
    this.features = features;
    this.jointConfig = jointConfig;
  }

  /** Outcome of a training run. */
  public record Result(JointTrainer.TrainingStats stats, int itemVectorsWritten) {}

  /** Whether this work directory has a trained model. */
  public boolean hasModel() {
    return models.current().isPresent();
  }

  /**
   * Trains on every ingested listing and all behaviour; the last event of each user is held out for
   * early stopping on validation NDCG@10.
   */
  public Result train(TrainingListener listener) {
    // A serving engine's requests go first while this runs (RequestPriority).
    try (RequestPriority.Scope background = requests.background()) {
      return trainAndPublish(listener);
    }
  }

  private Result trainAndPublish(TrainingListener listener) {
    // Trains on a snapshot without the writer lock: ingests and events go on meanwhile, and listings
    // that arrive during training get content vectors when the model is published.
    long events = behaviour.store().size();
    RecDataset ds = datasets.build();
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    JointTrainer trainer = new JointTrainer(jointConfig).name("joint").listener(listener)
        .checkpointDir(config.workDir().resolve("model").resolve("checkpoints"), true)
        .hardNegatives(luceneNeighbours());
    JointModel model = trainer.train(ds, split);
    writer.lock();
    try {
      // Vectors first, tied to the staged model by its digest: see ModelHolder.
      String digest = models.stage(model);
      int written = writeJointVectors(model, digest);
      models.promote(model, digest);
      eventsAtTraining = events;
      return new Result(trainer.stats(), written);
    } finally {
      writer.unlock();
    }
  }

  /**
   * Why there is no served model, or empty when there is one: a serving engine reports this in
   * its health and trains by itself once {@link #due} says so.
   */
  public Optional<String> whyNoModel() {
    if (hasModel()) {
      return Optional.empty();
    }
    if (models.absence() != null) {
      return Optional.of(models.absence());
    }
    long events = behaviour.store().size();
    return Optional.of(String.format(java.util.Locale.ROOT, "no trained model yet: %,d behaviour events, training starts "
        + "by itself at %,d (or run `facet train`); recommendations fall back to content, popularity and the catalog",
        events, MIN_EVENTS_TO_TRAIN));
  }

  /**
   * Whether a serving engine should train now: no model and at least {@link #MIN_EVENTS_TO_TRAIN}
   * events, or a model and {@link #RETRAIN_GROWTH} more events than it was trained on.
   */
  public boolean due() {
    long events = behaviour.store().size();
    if (!hasModel()) {
      return events >= MIN_EVENTS_TO_TRAIN;
    }
    if (eventsAtTraining < 0) {
      eventsAtTraining = events; // found on disk: count growth from now
    }
    return events >= MIN_EVENTS_TO_TRAIN && events >= eventsAtTraining * (1 + RETRAIN_GROWTH) + 1;
  }

  /**
   * Writes joint vectors of every indexed listing (trained ones from the model, others from content)
   * and commits them with the model's digest.
   */
  int writeJointVectors(JointModel model, String modelDigest) {
    Map<String, float[]> vectors = new HashMap<>(model.allItemVectors());
    for (String id : index.ids()) {
      if (!vectors.containsKey(id)) {
        Optional<IndexedListing> doc = index.get(id);
        doc.ifPresent(d -> vectors.put(id, model.itemVectorFromContent(features.of(d.listing(), d.image(), d.text()))));
      }
    }
    vectors.keySet().retainAll(index.ids());
    int n = index.updateJointVectors(vectors);
    Map<String, String> data = new HashMap<>(index.lastCommitUserData());
    data.put(ModelHolder.KEY_MODEL_DIGEST, modelDigest);
    index.commit(data);
    return n;
  }

  /**
   * Runs the full comparison (joint model, its ablations, baselines and, for generated catalogs, the
   * oracle) on the ingested catalog, writing eval.json, eval.md and eval.png beside {@code json}.
   */
  public EvaluationReport evaluate(Path json, TrainingListener listener) {
    return evaluate(json, EvaluationRunner.ALL_MODELS, listener);
  }

  /** As {@link #evaluate(Path, TrainingListener)} for a subset of {@link EvaluationRunner#ALL_MODELS}. */
  public EvaluationReport evaluate(Path json, List<String> models, TrainingListener listener) {
    EvaluationRunner.Options options = EvaluationRunner.Options.defaults().withJoint(jointConfig).withModels(models)
        .withSeed(config.seed()).withThreads(config.threads()).withListener(listener);
    return new EvaluationRunner(options).run(datasets.build(), json);
  }

  /** Hard negatives for training: Lucene neighbours of a positive item on the fused image+text vectors. */
  private HardNegativeSource luceneNeighbours() {
    return (itemId, k) -> {
      Optional<IndexedListing> doc = index.get(itemId);
      if (doc.isEmpty()) {
        return List.of();
      }
      List<String> out = new ArrayList<>(k);
      for (SearchHit hit : index.knn(VectorField.FUSED, doc.get().fused(), k, Filter.NONE, Set.of(itemId))) {
        out.add(hit.id());
      }
      return out;
    };
  }
}
