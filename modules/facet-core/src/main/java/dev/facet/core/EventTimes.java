package dev.facet.core;

import java.time.Instant;

/**
 * The one range of event timestamps Facet accepts, at the API and in every file it reads: an event
 * accepted live must still load after a restart, and a year-275760 timestamp would pin a user's
 * "most recent" event forever.
 */
public final class EventTimes {
  /** Earliest accepted instant (inclusive). */
  public static final Instant MIN = Instant.parse("1990-01-01T00:00:00Z");
  /** Latest accepted instant (exclusive). */
  public static final Instant MAX = Instant.parse("2100-01-01T00:00:00Z");
  /** How the range reads in messages. */
  public static final String RANGE = "1990..2099";

  private EventTimes() {}

  /** Whether {@code ts} falls in [{@link #MIN}, {@link #MAX}). */
  public static boolean accepted(Instant ts) {
    return !ts.isBefore(MIN) && ts.isBefore(MAX);
  }
}
