package dev.facet.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long behaviour events are kept: {@code --event-retention-days} sets the JVM-wide property
 * {@value #PROPERTY} before anything opens (like the image limits), and every load of behaviour
 * (training, serving) skips older events while ingest and training also delete them from {@code
 * events.jsonl}. Unset means events are kept.
 */
public final class EventRetention {
  /** System property holding the number of days; unset or 0 keeps every event. */
  public static final String PROPERTY = "facet.eventRetentionDays";

  private EventRetention() {}

  /** Events before this instant are dropped; empty when no retention is configured. */
  static Optional<Instant> cutoff() {
    String days = System.getProperty(PROPERTY);
    if (days == null || days.isBlank()) {
      return Optional.empty();
    }
    long n = Long.parseLong(days.trim());
    return n <= 0 ? Optional.empty() : Optional.of(Instant.now().minus(Duration.ofDays(n)));
  }

  /** Sets the retention for this JVM; {@code days} must be positive. */
  public static void set(long days) {
    if (days <= 0) {
      throw new IllegalArgumentException("--event-retention-days must be at least 1, got " + days);
    }
    System.setProperty(PROPERTY, Long.toString(days));
  }
}
