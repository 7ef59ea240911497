package dev.facet.model;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One distinct item in a user's history: the strongest event the user had with it and the time of
 * the first event (histories are ordered by that time).
 */
record Step(int item, EventType event, Instant ts) {
  /**
   * Per user index, the distinct known items in order of first event. Events on items or users
   * unknown to the schema are ignored.
   */
  static List<List<Step>> histories(Schema schema, List<Interaction> interactions) {
    List<List<Step>> out = new ArrayList<>(schema.numUsers());
    for (int u = 0; u < schema.numUsers(); u++) {
      out.add(new ArrayList<>());
    }
    List<Interaction> sorted = new ArrayList<>(interactions);
    sorted.sort(Comparator.comparing(Interaction::ts));
    List<Map<Integer, Integer>> pos = new ArrayList<>(schema.numUsers());
    for (int u = 0; u < schema.numUsers(); u++) {
      pos.add(null);
    }
    for (Interaction in : sorted) {
      int u = schema.user(in.user());
      int i = schema.item(in.item());
      if (u < 0 || i < 0) {
        continue;
      }
      Map<Integer, Integer> p = pos.get(u);
      if (p == null) {
        p = new LinkedHashMap<>();
        pos.set(u, p);
      }
      List<Step> seq = out.get(u);
      Integer at = p.get(i);
      if (at == null) {
        p.put(i, seq.size());
        seq.add(new Step(i, in.event(), in.ts()));
      } else if (in.event().weight() > seq.get(at).event().weight()) {
        Step old = seq.get(at);
        seq.set(at, new Step(i, in.event(), old.ts()));
      }
    }
    return out;
  }

  /** Same as {@link #histories} for one user's events (any order). */
  static List<Step> history(Schema schema, List<Interaction> events) {
    List<Interaction> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparing(Interaction::ts));
    Map<Integer, Integer> p = new LinkedHashMap<>();
    List<Step> seq = new ArrayList<>();
    for (Interaction in : sorted) {
      int i = schema.item(in.item());
      if (i < 0) {
        continue;
      }
      Integer at = p.get(i);
      if (at == null) {
        p.put(i, seq.size());
        seq.add(new Step(i, in.event(), in.ts()));
      } else if (in.event().weight() > seq.get(at).event().weight()) {
        seq.set(at, new Step(i, in.event(), seq.get(at).ts()));
      }
    }
    return seq;
  }

  /**
   * Marks the current session of {@code seq[0, end)} as seen at time {@code asOf}, in a history laid out
   * most recent first: flag {@code j} stands for {@code seq[end - 1 - j]} and is 1 while each item's
   * first event follows the previous (older) one's by less than {@code gapSeconds}, starting from the
   * most recent item when it lies less than {@code gapSeconds} before {@code asOf} (a session that ended
   * earlier is not current: no flag). {@code asOf} null means right after the most recent item. Writes at
   * most {@code len} flags from {@code out[offset]}; nothing when {@code gapSeconds} is 0.
   */
  static void markSession(List<Step> seq, int end, int len, long gapSeconds, Instant asOf, float[] out, int offset) {
    if (gapSeconds <= 0 || end <= 0) {
      return;
    }
    if (asOf != null && asOf.getEpochSecond() - seq.get(end - 1).ts().getEpochSecond() >= gapSeconds) {
      return;
    }
    out[offset] = 1f;
    for (int j = 1; j < len && end - 1 - j >= 0; j++) {
      Instant newer = seq.get(end - j).ts();
      Instant older = seq.get(end - 1 - j).ts();
      if (newer.getEpochSecond() - older.getEpochSecond() >= gapSeconds) {
        return;
      }
      out[offset + j] = 1f;
    }
  }
}
