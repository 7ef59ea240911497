package dev.facet.engine;

import dev.facet.core.Recommendation;
import java.util.List;

/**
 * Ranked recommendations with the generation that ranked them: every score of one answer comes from
 * one model and the item vectors that model wrote.
 *
 * @param items best first
 * @param generation id of the model generation (see {@code ModelHolder}), or null when no model is
 *     trained and the answer came from the fallbacks
 */
public record Recommendations(List<Recommendation> items, String generation) {
  public Recommendations {
    items = List.copyOf(items);
  }
}
