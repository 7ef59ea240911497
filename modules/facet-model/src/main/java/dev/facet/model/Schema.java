package dev.facet.model;

import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The vocabularies a trained model is bound to: item ids, user ids, attribute tokens grouped by
 * attribute name, profile tokens, and the modality sizes. Saved inside every checkpoint.
 */
final class Schema {
  final List<String> itemIds;
  final List<String> attrKeys;
  /** {@code key=value} tokens, grouped by key in {@link #attrKeys} order. */
  final List<String> attrTokens;
  /** Tokens of key {@code k} are {@code [keyStart[k], keyStart[k+1])}. */
  final int[] keyStart;
  final List<String> userIds;
  final List<String> profileTokens;
  final int imageDim;
  final int textDim;
  private final Map<String, Integer> itemIndex = new HashMap<>();
  private final Map<String, Integer> userIndex = new HashMap<>();
  private final Map<String, Integer> attrIndex = new HashMap<>();
  private final Map<String, Integer> profileIndex = new HashMap<>();

  Schema(List<String> itemIds, List<String> attrKeys, List<String> attrTokens, int[] keyStart,
      List<String> userIds, List<String> profileTokens, int imageDim, int textDim) {
    this.itemIds = List.copyOf(itemIds);
    this.attrKeys = List.copyOf(attrKeys);
    this.attrTokens = List.copyOf(attrTokens);
    this.keyStart = keyStart.clone();
    this.userIds = List.copyOf(userIds);
    this.profileTokens = List.copyOf(profileTokens);
    this.imageDim = imageDim;
    this.textDim = textDim;
    if (keyStart.length != attrKeys.size() + 1 || keyStart[keyStart.length - 1] != attrTokens.size()) {
      throw new IllegalArgumentException("schema: key ranges do not cover the attribute tokens");
    }
    index(this.itemIds, itemIndex, "item");
    index(this.userIds, userIndex, "user");
    index(this.attrTokens, attrIndex, "attribute token");
    index(this.profileTokens, profileIndex, "profile token");
  }

  private static void index(List<String> values, Map<String, Integer> map, String what) {
    for (int i = 0; i < values.size(); i++) {
      if (map.put(values.get(i), i) != null) {
        throw new IllegalArgumentException("schema: duplicate " + what + " " + values.get(i));
      }
    }
  }

  /** Vocabularies of a dataset: every item, every user with an event or a profile. */
  static Schema of(RecDataset ds) {
    List<String> items = new ArrayList<>();
    TreeMap<String, TreeSet<String>> byKey = new TreeMap<>();
    for (ItemFeatures f : ds.items()) {
      items.add(f.id());
      f.attributes().forEach((k, v) -> {
        for (String value : values(v)) {
          byKey.computeIfAbsent(k, x -> new TreeSet<>()).add(value);
        }
      });
    }
    List<String> keys = new ArrayList<>(byKey.keySet());
    List<String> tokens = new ArrayList<>();
    int[] start = new int[keys.size() + 1];
    for (int k = 0; k < keys.size(); k++) {
      start[k] = tokens.size();
      for (String v : byKey.get(keys.get(k))) {
        tokens.add(keys.get(k) + "=" + v);
      }
    }
    start[keys.size()] = tokens.size();
    Set<String> users = new LinkedHashSet<>();
    for (Interaction in : ds.interactions()) {
      users.add(in.user());
    }
    users.addAll(ds.users().keySet());
    TreeSet<String> profile = new TreeSet<>();
    for (UserProfile p : ds.users().values()) {
      profile.addAll(profileTokensOf(p));
    }
    return new Schema(items, keys, tokens, start, new ArrayList<>(users), new ArrayList<>(profile),
        ds.imageDim(), ds.textDim());
  }

  static List<String> values(String v) {
    List<String> out = new ArrayList<>();
    for (String s : v.split("\\|")) {
      String t = s.trim();
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  static List<String> profileTokensOf(UserProfile p) {
    List<String> out = new ArrayList<>(3);
    if (p == null) {
      return out;
    }
    if (p.ageBand() != null) {
      out.add("age=" + p.ageBand());
    }
    if (p.gender() != null) {
      out.add("gender=" + p.gender());
    }
    if (p.cityTier() != null) {
      out.add("city_tier=" + p.cityTier());
    }
    return out;
  }

  int numItems() {
    return itemIds.size();
  }

  int numUsers() {
    return userIds.size();
  }

  int numAttrTokens() {
    return attrTokens.size();
  }

  int numProfileTokens() {
    return profileTokens.size();
  }

  /** Item index or -1. */
  int item(String id) {
    return itemIndex.getOrDefault(id, -1);
  }

  /** User index or -1. */
  int user(String id) {
    return userIndex.getOrDefault(id, -1);
  }

  /**
   * Attribute bag of an item: each known token weighted 1/(number of known tokens of its key), so the
   * weights of one key sum to 1. Unknown attribute values are ignored.
   */
  float[] attributeBag(Map<String, String> attributes) {
    float[] bag = new float[attrTokens.size()];
    attributes.forEach((k, v) -> {
      List<Integer> idx = new ArrayList<>();
      for (String value : values(v)) {
        Integer i = attrIndex.get(k + "=" + value);
        if (i != null) {
          idx.add(i);
        }
      }
      for (int i : idx) {
        bag[i] += 1f / idx.size();
      }
    });
    return bag;
  }

  /** Profile bag: 1 for each known profile token. */
  float[] profileBag(UserProfile p) {
    float[] bag = new float[profileTokens.size()];
    for (String t : profileTokensOf(p)) {
      Integer i = profileIndex.get(t);
      if (i != null) {
        bag[i] = 1f;
      }
    }
    return bag;
  }

  /** The same vocabularies with user {@code index} renamed to {@code placeholder} (erasure keeps indices stable). */
  Schema withUserRenamed(int index, String placeholder) {
    List<String> users = new ArrayList<>(userIds);
    users.set(index, placeholder);
    return new Schema(itemIds, attrKeys, attrTokens, keyStart, users, profileTokens, imageDim, textDim);
  }

  /** Serializable form. */
  Map<String, Object> toMap() {
    Map<String, Object> m = new TreeMap<>();
    m.put("itemIds", itemIds);
    m.put("attrKeys", attrKeys);
    m.put("attrTokens", attrTokens);
    List<Integer> ks = new ArrayList<>();
    for (int k : keyStart) {
      ks.add(k);
    }
    m.put("keyStart", ks);
    m.put("userIds", userIds);
    m.put("profileTokens", profileTokens);
    m.put("imageDim", imageDim);
    m.put("textDim", textDim);
    return m;
  }

  @SuppressWarnings("unchecked")
  static Schema fromMap(Map<String, Object> m) {
    List<Integer> ks = (List<Integer>) m.get("keyStart");
    int[] start = ks.stream().mapToInt(Integer::intValue).toArray();
    return new Schema((List<String>) m.get("itemIds"), (List<String>) m.get("attrKeys"),
        (List<String>) m.get("attrTokens"), start, (List<String>) m.get("userIds"),
        (List<String>) m.get("profileTokens"), (Integer) m.get("imageDim"), (Integer) m.get("textDim"));
  }
}
