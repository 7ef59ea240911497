package dev.facet.catalog;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Validates one raw interaction. {@code ts} is ISO-8601 with a zone ({@code Z} or an offset) or
 * whole epoch seconds (the Taobao layout); a zone-less local time is refused because guessing the
 * zone would shift every event. Timestamps must fall in [{@link #MIN_TS}, {@link #MAX_TS}).
 */
final class InteractionParser {
  static final Instant MIN_TS = Instant.parse("1990-01-01T00:00:00Z");
  static final Instant MAX_TS = Instant.parse("2100-01-01T00:00:00Z");

  private InteractionParser() {}

  static String idOf(RecordFields r) {
    try {
      String user = r.id("user");
      String item = r.id("item");
      return user == null && item == null ? null : user + "/" + item;
    } catch (FieldException e) {
      return null;
    }
  }

  static Interaction parse(RecordFields r) throws FieldException {
    String user = ListingParser.required(r.id("user"), "user");
    String item = ListingParser.required(r.id("item"), "item");
    String eventText = ListingParser.required(r.text("event"), "event");
    EventType event;
    try {
      event = EventType.parse(eventText);
    } catch (IllegalArgumentException e) {
      throw new FieldException("event", "unknown event type: '" + eventText + "'");
    }
    return new Interaction(user, item, event, timestamp(r));
  }

  private static Instant timestamp(RecordFields r) throws FieldException {
    Object raw = r.raw("ts");
    Instant ts;
    if (raw == null || (raw instanceof String s && s.isBlank())) {
      throw ListingParser.missing("ts");
    } else if (raw instanceof Number n) {
      if (raw instanceof Double || raw instanceof Float || raw instanceof java.math.BigDecimal) {
        throw new FieldException("ts", "unparsable timestamp: " + raw + " (epoch seconds must be whole)");
      }
      ts = epochSeconds(n.longValue());
    } else if (raw instanceof String s) {
      String t = s.trim();
      if (t.matches("\\d{1,12}")) {
        ts = epochSeconds(Long.parseLong(t));
      } else {
        try {
          ts = OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
          throw new FieldException("ts", "unparsable timestamp: '" + t + "' (expected ISO-8601 with zone, e.g. 2026-03-01T10:15:00Z, or epoch seconds)");
        }
      }
    } else {
      throw RecordFields.wrongType("ts", "ISO-8601 string or epoch seconds", raw.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
    }
    if (ts.isBefore(MIN_TS) || !ts.isBefore(MAX_TS)) {
      throw new FieldException("ts", "timestamp out of range: " + ts + " (accepted 1990..2099)");
    }
    return ts;
  }

  private static Instant epochSeconds(long s) throws FieldException {
    if (s < MIN_TS.getEpochSecond() || s >= MAX_TS.getEpochSecond()) {
      throw new FieldException("ts", "timestamp out of range: " + s + " epoch seconds (accepted 1990..2099)");
    }
    return Instant.ofEpochSecond(s);
  }
}
