package dev.facet.model;

import dev.facet.core.Interaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How test users are ranked: which of their interactions the models see and which items leave the
 * ranking. Both rank every item; validation users are ranked the same way under both (history =
 * training interactions).
 *
 * <p>Figures are only comparable under one protocol: under {@link #MMREC} a user's validation items
 * compete with the test items and the models see a shorter history than under {@link #FACET}.
 */
public enum EvalProtocol {
  /**
   * Facet's own: a test user's history is the training and validation interactions, and every item
   * in it is excluded from the ranking (a shopper is not re-offered what they already touched).
   */
  FACET("facet", "full ranking over all items, training+validation items excluded"),
  /**
   * MMRec's, for figures comparable with published MMRec results: a test user's history is the
   * training interactions only (MMRec models never see validation interactions at test time), only
   * those items are excluded, and validation items stay candidates without counting as relevant.
   */
  MMREC("mmrec", "full ranking over all items, training items excluded (validation items stay candidates)");

  private final String id;
  private final String description;

  EvalProtocol(String id, String description) {
    this.id = id;
    this.description = description;
  }

  /** {@code facet} or {@code mmrec}, as in eval.json and {@code --protocol}. */
  public String id() {
    return id;
  }

  /** What is ranked and what is excluded, for reports. */
  public String description() {
    return description;
  }

  /** The protocol named {@code facet} or {@code mmrec} (case-insensitive). */
  public static EvalProtocol of(String id) {
    for (EvalProtocol p : values()) {
      if (p.id.equals(id.toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new IllegalArgumentException("protocol must be facet or mmrec, got " + id);
  }

  /** MMRec's protocol for a split that came with the dataset (MMRec's own), Facet's otherwise. */
  public static EvalProtocol defaultFor(DataSplit split) {
    return split.name().equals(DataSplit.PRESET) ? MMREC : FACET;
  }

  /** Per user index, the history a test user is ranked with (its items leave the ranking). */
  List<List<Step>> testHistories(Schema schema, List<List<Step>> trainHistories, DataSplit split) {
    if (this == MMREC) {
      return trainHistories;
    }
    List<Interaction> trainValid = new ArrayList<>(split.train());
    trainValid.addAll(split.valid());
    return Step.histories(schema, trainValid);
  }
}
