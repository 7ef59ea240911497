package dev.facet.index;

import dev.facet.core.VectorMath;
import dev.facet.core.Listing;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Seeded test data. */
final class TestListings {
  static final String[] CATEGORIES = {"ring", "necklace", "earrings", "bracelet", "pendant"};
  static final String[] MATERIALS = {"18k_gold", "rose_gold", "silver", "platinum"};
  static final String[] GEMSTONES = {"diamond", "pearl", "jade", "none"};
  static final String[] MERCHANTS = {"m-01", "m-02", "m-03"};

  private TestListings() {}

  static IndexSettings settings() {
    return IndexSettings.defaults(8, 8, 4).withRefreshMillis(100);
  }

  static float[] unitVector(Random rnd, int dims) {
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) rnd.nextGaussian();
    }
    return VectorMath.normalize(v);
  }

  static Listing listing(String id, String title, String titleEn, String material, String gemstone, double price) {
    return new Listing(id, title, titleEn, null, "ring", material, gemstone, null, null, price, "CNY", "m-01",
        List.of("images/" + id + ".jpg"), true, Map.of());
  }

  /** A random listing; attributes may be null to exercise null semantics of filters. */
  static Listing randomListing(Random rnd, int i) {
    String id = "R-" + i;
    return new Listing(id, "商品 " + i, "item " + i, rnd.nextBoolean() ? "desc " + i : null,
        pick(rnd, CATEGORIES), rnd.nextInt(8) == 0 ? null : pick(rnd, MATERIALS),
        rnd.nextInt(8) == 0 ? null : pick(rnd, GEMSTONES), "yellow", "minimal",
        rnd.nextInt(6) == 0 ? rnd.nextInt(3) * 100.0 : Math.round(rnd.nextDouble() * 5000 * 100) / 100.0,
        "CNY", rnd.nextInt(10) == 0 ? null : pick(rnd, MERCHANTS), List.of("images/" + id + ".jpg"),
        rnd.nextInt(4) != 0, Map.of());
  }

  static IndexedListing indexed(Random rnd, Listing l, IndexSettings s) {
    return new IndexedListing(l, "hash-" + l.id(), unitVector(rnd, s.imageDims()), unitVector(rnd, s.textDims()), null);
  }

  static <T> T pick(Random rnd, T[] values) {
    return values[rnd.nextInt(values.length)];
  }
}
