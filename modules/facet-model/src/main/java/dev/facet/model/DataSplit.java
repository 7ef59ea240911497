package dev.facet.model;

import dev.facet.core.Interaction;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * A train / validation / test partition of the interactions, shared by every model of one evaluation.
 *
 * <p>Splits work on distinct (user, item) pairs: all events of one pair land in the same part, so a
 * held-out item is never also a training item of that user (a view followed by a purchase of the
 * same ring cannot leak).
 *
 * @param name {@code temporal-leave-last-out}, {@code random-80-10-10} or {@code preset}
 */
public record DataSplit(String name, List<Interaction> train, List<Interaction> valid, List<Interaction> test) {
  /** Split name of {@link #temporalLeaveLastOut}. */
  public static final String TEMPORAL = "temporal-leave-last-out";
  /** Split name of {@link #random}. */
  public static final String RANDOM = "random-80-10-10";
  /** Split name of a split stored with the dataset (MMRec's {@code x_label} column). */
  public static final String PRESET = "preset";

  public DataSplit {
    train = List.copyOf(train);
    valid = List.copyOf(valid);
    test = List.copyOf(test);
  }

  /**
   * The split called {@code temporal} ({@link #temporalLeaveLastOut}) or {@code random} ({@link #random}
   * with {@code seed}); a preset split is not computed but read with its dataset.
   */
  public static DataSplit of(String kind, List<Interaction> interactions, long seed) {
    return switch (kind) {
      case "temporal" -> temporalLeaveLastOut(interactions);
      case "random" -> random(interactions, seed);
      default -> throw new IllegalArgumentException("split must be temporal or random, got " + kind);
    };
  }

  /**
   * Per user, orders the distinct items by the time of their first event: the last item goes to
   * test, the one before to validation, the rest to training. Users with fewer than 3 distinct items
   * keep everything in training. Ties in time keep input order.
   */
  public static DataSplit temporalLeaveLastOut(List<Interaction> interactions) {
    List<Interaction> train = new ArrayList<>();
    List<Interaction> valid = new ArrayList<>();
    List<Interaction> test = new ArrayList<>();
    for (List<List<Interaction>> pairs : pairsByUser(interactions).values()) {
      int n = pairs.size();
      for (int i = 0; i < n; i++) {
        List<Interaction> target = n < 3 || i < n - 2 ? train : i == n - 2 ? valid : test;
        target.addAll(pairs.get(i));
      }
    }
    return new DataSplit(TEMPORAL, train, valid, test);
  }

  /** Random 80/10/10 over distinct (user, item) pairs, seeded. */
  public static DataSplit random(List<Interaction> interactions, long seed) {
    List<Interaction> train = new ArrayList<>();
    List<Interaction> valid = new ArrayList<>();
    List<Interaction> test = new ArrayList<>();
    Random rnd = new Random(seed);
    for (List<List<Interaction>> pairs : pairsByUser(interactions).values()) {
      for (List<Interaction> pair : pairs) {
        double r = rnd.nextDouble();
        (r < 0.8 ? train : r < 0.9 ? valid : test).addAll(pair);
      }
    }
    return new DataSplit(RANDOM, train, valid, test);
  }

  /** Items with at least one training interaction. */
  public Set<String> trainItems() {
    Set<String> out = new HashSet<>();
    for (Interaction in : train) {
      out.add(in.item());
    }
    return out;
  }

  /** user -> distinct items -> that pair's events, users and pairs in time order of first event. */
  static Map<String, List<List<Interaction>>> pairsByUser(List<Interaction> interactions) {
    List<Interaction> sorted = new ArrayList<>(interactions);
    sorted.sort(Comparator.comparing(Interaction::ts)); // stable: ties keep input order
    Map<String, Map<String, List<Interaction>>> byUser = new LinkedHashMap<>();
    for (Interaction in : sorted) {
      byUser.computeIfAbsent(in.user(), u -> new LinkedHashMap<>())
          .computeIfAbsent(in.item(), i -> new ArrayList<>()).add(in);
    }
    Map<String, List<List<Interaction>>> out = new LinkedHashMap<>();
    byUser.forEach((u, m) -> out.put(u, new ArrayList<>(m.values())));
    return out;
  }
}
