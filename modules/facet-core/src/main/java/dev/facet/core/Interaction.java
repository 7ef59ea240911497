package dev.facet.core;

import java.time.Instant;
import java.util.Objects;

/**
 * One behaviour event: a user did {@code event} on listing {@code item} at {@code ts}.
 */
public record Interaction(String user, String item, EventType event, Instant ts) {
  public Interaction {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("interaction field 'user' is required");
    }
    if (item == null || item.isBlank()) {
      throw new IllegalArgumentException("interaction field 'item' is required");
    }
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(ts, "ts");
  }
}
