package dev.facet.engine;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-user behaviour histories and profiles held in memory: loaded from the catalog's interactions and extended
 * at run time by {@code Facet.recordEvent}, so the next recommendation reflects a new event without
 * retraining. Thread-safe; each user's list is kept in time order.
 */
@com.google.inject.Singleton
final class BehaviourStore {
  private final Map<String, List<Interaction>> byUser = new ConcurrentHashMap<>();
  private final Map<String, Integer> itemCounts = new ConcurrentHashMap<>();
  private final Map<String, UserProfile> profiles = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong size = new java.util.concurrent.atomic.AtomicLong();

  /** Number of events held. */
  long size() {
    return size.get();
  }

  void putProfile(UserProfile profile) {
    profiles.put(profile.user(), profile);
  }

  /** The user's profile, or null when none was given. */
  UserProfile profile(String user) {
    return profiles.get(user);
  }

  void add(Interaction interaction) {
    List<Interaction> history = byUser.computeIfAbsent(interaction.user(), u -> new ArrayList<>());
    synchronized (history) {
      int pos = history.size();
      // Events usually arrive in order; walk back only for late ones.
      while (pos > 0 && history.get(pos - 1).ts().isAfter(interaction.ts())) {
        pos--;
      }
      history.add(pos, interaction);
    }
    itemCounts.merge(interaction.item(), 1, Integer::sum);
    size.incrementAndGet();
  }

  /** Drops the user's history and profile; their events no longer count towards popularity. */
  void remove(String user) {
    profiles.remove(user);
    List<Interaction> history = byUser.remove(user);
    if (history == null) {
      return;
    }
    synchronized (history) {
      for (Interaction i : history) {
        itemCounts.computeIfPresent(i.item(), (item, n) -> n > 1 ? n - 1 : null);
      }
    }
  }

  /** The user's most recent {@code max} events, oldest first; empty for unknown users. */
  List<Interaction> recent(String user, int max) {
    List<Interaction> history = byUser.get(user);
    if (history == null) {
      return List.of();
    }
    synchronized (history) {
      return List.copyOf(history.subList(Math.max(0, history.size() - max), history.size()));
    }
  }

  /** Items the user bought: recommendations exclude them. */
  Set<String> purchased(String user) {
    List<Interaction> history = byUser.get(user);
    if (history == null) {
      return Set.of();
    }
    Set<String> out = new HashSet<>();
    synchronized (history) {
      for (Interaction i : history) {
        if (i.event() == EventType.PURCHASE) {
          out.add(i.item());
        }
      }
    }
    return out;
  }

  /** Item ids by descending interaction count. */
  List<String> popular(int max) {
    List<Map.Entry<String, Integer>> entries = new ArrayList<>(itemCounts.entrySet());
    entries.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < Math.min(max, entries.size()); i++) {
      out.add(entries.get(i).getKey());
    }
    return Collections.unmodifiableList(out);
  }

  /** Every stored event (each user's in time order). */
  List<Interaction> all() {
    List<Interaction> out = new ArrayList<>();
    for (List<Interaction> history : byUser.values()) {
      synchronized (history) {
        out.addAll(history);
      }
    }
    return out;
  }

  /** Profiles of all users that have one. */
  Map<String, UserProfile> profiles() {
    return Map.copyOf(profiles);
  }

  /** Users with at least one event, sorted. */
  List<String> usersWithHistory() {
    List<String> out = new ArrayList<>(byUser.keySet());
    Collections.sort(out);
    return out;
  }
}
