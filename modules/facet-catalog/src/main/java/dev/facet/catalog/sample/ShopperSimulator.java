package dev.facet.catalog.sample;

import dev.facet.core.EventType;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * Simulated shoppers with a hidden taste, and the events their taste produces.
 *
 * <p>Each user has a preference score per category, material, gemstone and style (Gaussian noise
 * plus one or two clear favourites per attribute) and a preferred price band (log-normal centre and
 * width). The true utility of an item is {@code taste·attributes + price fit + popularity}, where
 * popularity is the item's hidden quality (log-normal, so a long tail). Shoppers browse in sessions;
 * each view is drawn from a softmax over utilities (half the sessions restricted to one category, as
 * after a search), sometimes re-viewing an earlier item. A view leads to a click, a click to a
 * favourite or a cart, a cart to a purchase, with probabilities rising with the item's utility
 * relative to the user's average, so strong events mark the best matches. About 5% of users are cold
 * (one or two events) and about 5% of listings are never shown (cold items). Time runs over a fixed
 * 2026 window; the wall clock is never read.
 */
final class ShopperSimulator {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final long WINDOW_SECONDS = 181L * 24 * 3600; // to 2026-07-01
  static final int RANKING_SIZE = 300;

  /** One simulated user: preferences, price band, profile, events. */
  static final class Shopper {
    final String id;
    final double[] category = new double[Vocabulary.CATEGORIES.size()];
    final double[] material = new double[Vocabulary.MATERIALS.size()];
    final double[] gemstone = new double[Vocabulary.GEMSTONES.size()];
    final double[] style = new double[Vocabulary.STYLES.size()];
    double logPriceCentre;
    double logPriceWidth;
    boolean cold;
    UserProfile profile;
    final List<Interaction> events = new ArrayList<>();
    double[] utility;

    Shopper(String id) {
      this.id = id;
    }
  }

  private final List<SampleItem> items;
  private final Random rnd;
  private final boolean[] coldItem;
  private final double[] popularity;

  ShopperSimulator(List<SampleItem> items, Random rnd) {
    this.items = items;
    this.rnd = rnd;
    int n = items.size();
    coldItem = new boolean[n];
    popularity = new double[n];
    int cold = Math.max(n >= 20 ? 1 : 0, (int) Math.round(n * 0.05));
    for (int i : sampleWithoutReplacement(n, cold)) {
      coldItem[i] = true;
    }
    for (int i = 0; i < n; i++) {
      popularity[i] = 0.9 * items.get(i).quality();
    }
  }

  boolean isCold(int item) {
    return coldItem[item];
  }

  List<Shopper> simulate(int users) {
    List<Shopper> shoppers = new ArrayList<>(users);
    int coldUsers = Math.max(users >= 20 ? 1 : 0, (int) Math.round(users * 0.05));
    boolean[] cold = new boolean[users];
    for (int u : sampleWithoutReplacement(users, coldUsers)) {
      cold[u] = true;
    }
    for (int u = 0; u < users; u++) {
      Shopper s = new Shopper(String.format(java.util.Locale.ROOT, "u-%04d", u + 1));
      s.cold = cold[u];
      drawTaste(s);
      s.utility = utilities(s);
      s.profile = profile(s);
      browse(s);
      shoppers.add(s);
    }
    return shoppers;
  }

  private void drawTaste(Shopper s) {
    fill(s.category);
    fill(s.material);
    fill(s.gemstone);
    fill(s.style);
    s.logPriceCentre = Math.log(1500) + 0.8 * rnd.nextGaussian();
    s.logPriceWidth = 0.5 + 0.4 * rnd.nextDouble();
  }

  private void fill(double[] prefs) {
    for (int i = 0; i < prefs.length; i++) {
      prefs[i] = 0.6 * rnd.nextGaussian();
    }
    prefs[rnd.nextInt(prefs.length)] += 2.0;
    if (rnd.nextDouble() < 0.35) {
      prefs[rnd.nextInt(prefs.length)] += 1.2;
    }
  }

  /** True utility of every item for the user, without noise. */
  double[] utilities(Shopper s) {
    double[] u = new double[items.size()];
    for (int i = 0; i < u.length; i++) {
      SampleItem it = items.get(i);
      double z = (it.logPrice() - s.logPriceCentre) / s.logPriceWidth;
      u[i] = s.category[it.category()] + s.material[it.material()] + s.gemstone[it.gemstone()] + s.style[it.style()]
          - 0.5 * z * z + popularity[i];
    }
    return u;
  }

  /** Item indexes by descending true utility, ties by index: the oracle ranking. */
  int[] ranking(Shopper s, int limit) {
    Integer[] order = new Integer[items.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -s.utility[i]).thenComparingInt(i -> i));
    int n = Math.min(limit, order.length);
    int[] out = new int[n];
    for (int i = 0; i < n; i++) {
      out[i] = order[i];
    }
    return out;
  }

  private UserProfile profile(Shopper s) {
    int favStyle = argmax(s.style);
    // age bands 18-24, 25-34, 35-44, 45-54, 55+
    double[] age = {1.5, 3, 2, 1, 0.5};
    switch (Vocabulary.STYLES.get(favStyle).code()) {
      case "cute" -> age[0] *= 3;
      case "minimal" -> age[1] *= 1.8;
      case "luxury" -> age[2] *= 2.5;
      case "vintage" -> age[3] *= 2;
      case "chinese" -> {
        age[3] *= 2.5;
        age[4] *= 3;
      }
      default -> age[2] *= 1.5;
    }
    String[] bands = {"18-24", "25-34", "35-44", "45-54", "55+"};
    String ageBand = bands[pick(age)];
    String gender = rnd.nextDouble() < (Vocabulary.CATEGORIES.get(argmax(s.category)).code().equals("ring") ? 0.7 : 0.85) ? "f" : "m";
    int tier = (int) Math.round(3 - (s.logPriceCentre - Math.log(1500)) / 0.6 + 0.8 * rnd.nextGaussian());
    return new UserProfile(s.id, ageBand, gender, Math.max(1, Math.min(5, tier)));
  }

  private void browse(Shopper s) {
    double mean = 0;
    for (double v : s.utility) {
      mean += v;
    }
    mean /= s.utility.length;
    double var = 0;
    for (double v : s.utility) {
      var += (v - mean) * (v - mean);
    }
    double sd = Math.sqrt(var / s.utility.length) + 1e-9;

    List<Integer> viewed = new ArrayList<>();
    int sessions = s.cold ? 1 : Math.max(1, (int) Math.round(Math.exp(Math.log(6) + 0.7 * rnd.nextGaussian())));
    long[] starts = new long[sessions];
    for (int k = 0; k < sessions; k++) {
      starts[k] = sessionStart();
    }
    Arrays.sort(starts);
    for (int k = 0; k < sessions; k++) {
      long t = starts[k];
      int focus = rnd.nextDouble() < 0.5 ? favouredCategory(s) : -1;
      int views = s.cold ? 1 : 3 + rnd.nextInt(10);
      for (int v = 0; v < views; v++) {
        int item = !viewed.isEmpty() && rnd.nextDouble() < 0.22
            ? viewed.get(Math.max(0, viewed.size() - 1 - rnd.nextInt(Math.min(20, viewed.size()))))
            : drawItem(s, focus);
        if (item < 0) {
          break;
        }
        viewed.add(item);
        t += 5 + (long) (-Math.log(1 - rnd.nextDouble()) * 60);
        add(s, item, EventType.VIEW, t);
        double r = (s.utility[item] - mean) / sd;
        if (s.cold) {
          if (rnd.nextBoolean()) {
            add(s, item, EventType.CLICK, t + 3 + rnd.nextInt(30));
          }
          return;
        }
        if (rnd.nextDouble() < sigmoid(r - 2.9)) {
          t += 3 + rnd.nextInt(40);
          add(s, item, EventType.CLICK, t);
          boolean fav = rnd.nextDouble() < sigmoid(r - 3.4);
          if (fav) {
            t += 2 + rnd.nextInt(60);
            add(s, item, EventType.FAVORITE, t);
          }
          if (rnd.nextDouble() < sigmoid(r - 3.6)) {
            t += 5 + rnd.nextInt(120);
            add(s, item, EventType.CART, t);
            SampleItem it = items.get(item);
            double z = (it.logPrice() - s.logPriceCentre) / s.logPriceWidth;
            if (it.listing().inStock() && rnd.nextDouble() < 0.45 * sigmoid(2 - z * z)) {
              t += 30 + rnd.nextInt(1800);
              add(s, item, EventType.PURCHASE, t);
            }
          }
        }
      }
    }
  }

  private void add(Shopper s, int item, EventType type, long secondsFromStart) {
    long capped = Math.min(secondsFromStart, WINDOW_SECONDS - 1);
    s.events.add(new Interaction(s.id, items.get(item).listing().id(), type, START.plusSeconds(capped)));
  }

  private long sessionStart() {
    long day = rnd.nextInt((int) (WINDOW_SECONDS / 86400));
    // Evenings in China (UTC+8) are busiest: most sessions start 11:00-15:00 UTC.
    double hour = rnd.nextDouble() < 0.6 ? 11 + 4 * rnd.nextDouble() : 24 * rnd.nextDouble();
    return day * 86400 + (long) (hour * 3600);
  }

  private int favouredCategory(Shopper s) {
    double[] w = new double[s.category.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = Math.exp(s.category[i]);
    }
    return pick(w);
  }

  /** Softmax draw over the non-cold items (of one category when focus >= 0); -1 when none qualifies. */
  private int drawItem(Shopper s, int focus) {
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < s.utility.length; i++) {
      if (eligible(i, focus)) {
        max = Math.max(max, s.utility[i]);
      }
    }
    if (max == Double.NEGATIVE_INFINITY) {
      return focus >= 0 ? drawItem(s, -1) : -1;
    }
    double total = 0;
    double[] w = new double[s.utility.length];
    for (int i = 0; i < w.length; i++) {
      w[i] = eligible(i, focus) ? Math.exp(s.utility[i] - max) : 0;
      total += w[i];
    }
    double r = rnd.nextDouble() * total;
    int last = -1;
    for (int i = 0; i < w.length; i++) {
      if (w[i] > 0) {
        last = i;
        r -= w[i];
        if (r < 0) {
          return i;
        }
      }
    }
    return last;
  }

  private boolean eligible(int i, int focus) {
    return !coldItem[i] && (focus < 0 || items.get(i).category() == focus);
  }

  private int pick(double[] weights) {
    return WeightedChoice.pick(rnd, weights);
  }

  private int[] sampleWithoutReplacement(int n, int k) {
    int[] all = new int[n];
    for (int i = 0; i < n; i++) {
      all[i] = i;
    }
    for (int i = 0; i < k; i++) {
      int j = i + rnd.nextInt(n - i);
      int tmp = all[i];
      all[i] = all[j];
      all[j] = tmp;
    }
    return Arrays.copyOf(all, k);
  }

  static int argmax(double[] v) {
    int best = 0;
    for (int i = 1; i < v.length; i++) {
      if (v[i] > v[best]) {
        best = i;
      }
    }
    return best;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }
}
