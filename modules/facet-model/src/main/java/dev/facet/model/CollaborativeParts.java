package dev.facet.model;

import java.util.List;

/**
 * The joint model's two blocks learned from the interaction graph alone: graph-propagated embeddings
 * ({@link CollaborativeBlock}) and item-to-item weights ({@link ItemToItemBlock}); either may be null.
 * They depend only on the training split, the seed and their sizes, never on the towers, so one
 * evaluation trains them once and hands a {@link #copy()} to each tower variant.
 */
record CollaborativeParts(CollaborativeBlock graph, ItemToItemBlock itemToItem) {
  /** Trains the blocks the configuration asks for on the training split, their weights at 0. */
  static CollaborativeParts train(JointModelConfig cfg, TrainingData data, Evaluator evaluator,
      List<EvalUser> validation) {
    return train(cfg, data, evaluator, validation, s -> new LightGcn(data, s, evaluator, validation));
  }

  /** As {@link #train(JointModelConfig, TrainingData, Evaluator, List)}, with LightGCN runs from {@code lightGcn} (e.g. a cache). */
  static CollaborativeParts train(JointModelConfig cfg, TrainingData data, Evaluator evaluator,
      List<EvalUser> validation, java.util.function.Function<LightGcn.Settings, LightGcn> lightGcn) {
    CollaborativeBlock graph = cfg.collaborative()
        ? CollaborativeBlock.of(data, lightGcn.apply(JointTrainer.collaborativeSettings(cfg))) : null;
    ItemToItemBlock itemToItem = cfg.usesItemToItem() ? ItemToItemBlock.train(data, evaluator, validation) : null;
    CollaborativeParts parts = new CollaborativeParts(graph, itemToItem);
    parts.setWeights(0f, 0f);
    return parts;
  }

  /** Whether these blocks were built for a configuration like {@code cfg} (same sizes and options). */
  boolean fits(JointModelConfig cfg) {
    return cfg.collaborative() == (graph != null) && (graph == null || graph.dim() == cfg.collaborativeDim())
        && (cfg.usesItemToItem() || itemToItem == null);
  }

  /** The same learned tables with weights of their own. */
  CollaborativeParts copy() {
    return new CollaborativeParts(graph == null ? null : graph.copy(), itemToItem == null ? null : itemToItem.copy());
  }

  void setWeights(float graphWeight, float itemToItemWeight) {
    if (graph != null) {
      graph.weight(graphWeight);
    }
    if (itemToItem != null) {
      itemToItem.weight(itemToItemWeight);
    }
  }
}
