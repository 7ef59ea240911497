package dev.facet.model;

import java.util.List;

/** Anything that scores every item of a schema for a batch of users (higher = better). */
interface Scorer {
  /** One row of {@code numItems} scores per user, in order. */
  float[][] score(List<EvalUser> users);
}
