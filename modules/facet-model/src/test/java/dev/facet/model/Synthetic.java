package dev.facet.model;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small seeded datasets with learnable structure: items belong to one of 4 categories; each user
 * prefers one category and browses it in a cycle, so the next item is predictable from the last one.
 */
final class Synthetic {
  private Synthetic() {}

  static RecDataset dataset(long seed, int users, int items, int perUser, boolean image, boolean text) {
    Random rnd = new Random(seed);
    String[] cats = {"ring", "necklace", "earring", "bracelet"};
    String[] colors = {"yellow", "rose", "white"};
    List<ItemFeatures> list = new ArrayList<>();
    float[][] catCenter = new float[4][8];
    for (float[] c : catCenter) {
      for (int k = 0; k < c.length; k++) {
        c[k] = (float) rnd.nextGaussian();
      }
    }
    for (int i = 0; i < items; i++) {
      int c = i % 4;
      Map<String, String> attrs = new LinkedHashMap<>();
      attrs.put("category", cats[c]);
      attrs.put("color", colors[i % 3]);
      list.add(new ItemFeatures("I-" + i, image ? noisy(catCenter[c], rnd) : null, text ? noisy(catCenter[c], rnd) : null,
          attrs));
    }
    Map<String, UserProfile> profiles = new LinkedHashMap<>();
    List<Interaction> inter = new ArrayList<>();
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int u = 0; u < users; u++) {
      String user = "u-" + u;
      int cat = u % 4;
      profiles.put(user, new UserProfile(user, u % 2 == 0 ? "25-34" : "35-44", u % 3 == 0 ? "m" : "f", 1 + u % 3));
      int start = rnd.nextInt(items / 4);
      for (int s = 0; s < perUser; s++) {
        int item = ((start + s) % (items / 4)) * 4 + cat; // cycle through the category in order
        EventType ev = EventType.values()[rnd.nextInt(EventType.values().length)];
        inter.add(new Interaction(user, "I-" + item, ev, t0.plusSeconds(3600L * (u * 100 + s))));
      }
    }
    Map<String, List<String>> oracle = new LinkedHashMap<>();
    for (int u = 0; u < users; u++) {
      List<String> r = new ArrayList<>();
      for (int i = u % 4; i < items; i += 4) {
        r.add("I-" + i);
      }
      oracle.put("u-" + u, r);
    }
    return new RecDataset(list, profiles, inter, oracle);
  }

  private static float[] noisy(float[] center, Random rnd) {
    float[] v = new float[center.length];
    for (int k = 0; k < v.length; k++) {
      v[k] = center[k] + 0.3f * (float) rnd.nextGaussian();
    }
    return v;
  }

  static JointModelConfig.Builder tinyConfig() {
    return JointModelConfig.builder().dim(16).hidden(32).historyLength(8).heads(2).batchSize(32).negatives(16)
        .epochs(3).patience(5).learningRate(5e-3f).device(dev.facet.core.Device.CPU);
  }
}
