package dev.facet.engine;

import dev.facet.model.JointInference;
import dev.facet.model.JointModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model prepared once for serving: the DJL model (item towers for cold listings,
 * training-time item vectors) beside its plain-Java user tower and preference head, and the
 * preference tokens grouped by attribute key. Immutable; one per model version.
 */
final class ServingModel {
  private final JointModel model;
  private final String generation;
  private final JointInference inference;
  /** Attribute key, then value, to the index of token {@code key=value} in the preference head's output. */
  private final Map<String, Map<String, Integer>> tokenIndex = new HashMap<>();
  /** Attribute key to the {@code [from, to)} range of its tokens (tokens of a key are contiguous). */
  private final Map<String, int[]> keyRange = new HashMap<>();

  ServingModel(JointModel model, String generation) {
    this.model = model;
    this.generation = generation;
    this.inference = JointInference.of(model);
    List<String> tokens = inference.preferenceTokens();
    for (int j = 0; j < tokens.size(); j++) {
      String token = tokens.get(j);
      int eq = token.indexOf('=');
      String key = eq < 0 ? token : token.substring(0, eq);
      tokenIndex.computeIfAbsent(key, k -> new HashMap<>()).put(eq < 0 ? "" : token.substring(eq + 1), j);
      int[] range = keyRange.computeIfAbsent(key, k -> new int[] {Integer.MAX_VALUE, 0});
      range[0] = Math.min(range[0], j);
      range[1] = Math.max(range[1], j + 1);
    }
  }

  JointModel model() {
    return model;
  }

  /** Id of the generation this model belongs to; see {@link ModelHolder#generation}. */
  String generation() {
    return generation;
  }

  JointInference inference() {
    return inference;
  }

  /** Index of a {@code key=value} token in {@link JointInference#preferenceProbabilities}, or -1. */
  int token(String key, String value) {
    return tokenIndex.getOrDefault(key, Map.of()).getOrDefault(value, -1);
  }

  /** The {@code [from, to)} token range of an attribute key, or null when the model has no such key. */
  int[] keyRange(String key) {
    return keyRange.get(key);
  }
}
