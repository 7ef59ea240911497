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

  @Inject
  ModelTraining(FacetConfig config, CatalogIndex index, CatalogDatasets datasets, ModelHolder models,
      ItemFeaturesFactory features, JointModelConfig jointConfig) {
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
    RecDataset ds = datasets.build();
    DataSplit split = DataSplit.temporalLeaveLastOut(ds.interactions());
    JointTrainer trainer = new JointTrainer(jointConfig).name("joint").listener(listener)
        .checkpointDir(config.workDir().resolve("model").resolve("checkpoints"), true)
        .hardNegatives(luceneNeighbours());
    JointModel model = trainer.train(ds, split);
    models.replace(model);
    return new Result(trainer.stats(), writeJointVectors(model));
  }

  /** Writes joint vectors of every indexed listing: trained ones from the model, others from content. */
  int writeJointVectors(JointModel model) {
    Map<String, float[]> vectors = new HashMap<>(model.allItemVectors());
    for (String id : index.ids()) {
      if (!vectors.containsKey(id)) {
        Optional<IndexedListing> doc = index.get(id);
        doc.ifPresent(d -> vectors.put(id, model.itemVectorFromContent(features.of(d.listing(), d.image(), d.text()))));
      }
    }
    vectors.keySet().retainAll(index.ids());
    int n = index.updateJointVectors(vectors);
    index.commit(index.lastCommitUserData());
    index.refresh();
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
