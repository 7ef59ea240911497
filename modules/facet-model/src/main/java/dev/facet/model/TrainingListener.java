package dev.facet.model;

/**
 * Progress of training and evaluation, for the CLI's progress bar. Called on the training thread;
 * implementations must be quick. All methods default to doing nothing.
 */
public interface TrainingListener {
  /** A model starts a phase ({@code "train"}, {@code "evaluate"}). */
  default void onPhase(String model, String phase) {}

  /** After each optimizer step. */
  default void onStep(String model, int epoch, int step, int stepsPerEpoch, float loss) {}

  /** After each epoch: mean training loss and validation NDCG@10. */
  default void onEpoch(String model, int epoch, float meanLoss, double validationNdcg10, boolean improved) {}

  /** Does nothing. */
  TrainingListener NONE = new TrainingListener() {};
}
