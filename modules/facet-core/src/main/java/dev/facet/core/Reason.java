package dev.facet.core;

import java.util.Objects;

/**
 * Why an item was recommended, in words a merchant or shopper can read.
 *
 * @param kind what produced the reason
 * @param text human-readable explanation, e.g. "similar to R-00031 you bought"
 * @param relatedItem the past item the reason refers to, or null
 */
public record Reason(Kind kind, String text, String relatedItem) {
  /** Source of a reason. */
  public enum Kind {
    /** The past item that carried the largest attention weight for this candidate. */
    SIMILAR_TO_HISTORY,
    /** Attributes that match the user's predicted preferences. */
    MATCHES_TASTE,
    /** Popular within the filter (cold start). */
    POPULAR,
    /** Close to an item of the current anonymous session. */
    SESSION,
    /** No trained model yet: looks like an item of the user's own history (image similarity). */
    CONTENT,
    /** No behaviour to rank by yet: a listing of the catalog, in id order. */
    CATALOG
  }

  public Reason {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }
}
