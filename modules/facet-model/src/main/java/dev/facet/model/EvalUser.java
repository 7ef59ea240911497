package dev.facet.model;

import java.util.List;
import java.util.Set;

/**
 * One user to rank for: the history the model may use (chronological; its items are excluded from
 * the ranking), the held-out relevant items and the time of the request, which is when the user's
 * first held-out event happened (a shopper asks for recommendations just before acting on one; the
 * time tells whether the history's last session is still going).
 */
record EvalUser(String user, int userIndex, List<Step> history, Set<Integer> relevant, java.time.Instant asOf) {
  EvalUser {
    history = List.copyOf(history);
    relevant = Set.copyOf(relevant);
    if (relevant.isEmpty()) {
      throw new IllegalArgumentException("user " + user + " has no relevant item");
    }
  }

  /**
   * Users of a split part: for validation {@code history} holds the training events, for test what
   * the {@link EvalProtocol} gives; relevant = held-out items not already in the history.
   */
  static List<EvalUser> of(Schema schema, List<List<Step>> histories, List<dev.facet.core.Interaction> heldOut) {
    java.util.Map<Integer, java.util.Set<Integer>> rel = new java.util.LinkedHashMap<>();
    java.util.Map<Integer, java.time.Instant> first = new java.util.HashMap<>();
    for (dev.facet.core.Interaction in : heldOut) {
      int u = schema.user(in.user());
      int i = schema.item(in.item());
      if (u >= 0 && i >= 0) {
        rel.computeIfAbsent(u, k -> new java.util.HashSet<>()).add(i);
        first.merge(u, in.ts(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    List<EvalUser> out = new java.util.ArrayList<>();
    rel.forEach((u, items) -> {
      List<Step> h = histories.get(u);
      java.util.Set<Integer> seen = new java.util.HashSet<>();
      for (Step s : h) {
        seen.add(s.item());
      }
      items.removeAll(seen);
      if (!items.isEmpty()) {
        out.add(new EvalUser(schema.userIds.get(u), u, h, items, first.get(u)));
      }
    });
    return out;
  }
}
