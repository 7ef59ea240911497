package dev.facet.embed;

import java.util.List;
import java.util.Objects;

/**
 * Photo search measured by re-shoots: every original is encoded, every re-shoot is searched among
 * all originals by cosine (exact), and a hit is the re-shoot's own original ranking first (top 1)
 * or within the first {@code k}. Both sides are decoded at the encoder's input side, as ingest and
 * photo search do ({@link EncodedImages}).
 */
public final class ReshootRetrieval {
  /**
   * Hit rates of one encoder.
   *
   * @param top1 share of re-shoots whose original comes first
   * @param topK share whose original is among the first {@code k}
   * @param k neighbours counted for {@code topK}
   * @param count re-shoots searched
   * @param seconds wall time spent decoding and encoding both sides (near zero when cached)
   * @param originals the originals' vectors, in input order (for neighbour agreement)
   * @param reshoots the re-shoots' vectors, in input order
   * @param ranks per re-shoot, how many other originals scored above its own (0 is a top-1 hit)
   */
  public record Result(double top1, double topK, int k, int count, double seconds, List<float[]> originals,
      List<float[]> reshoots, int[] ranks) {}

  private ReshootRetrieval() {}

  /**
   * Measures one encoder with its own vector cache.
   *
   * @param originals image bytes, one per item
   * @param reshoots image bytes, {@code reshoots.get(i)} showing what {@code originals.get(i)} shows
   * @param names names of the items, for decoder error messages
   * @throws dev.facet.catalog.image.ImageRejectedException when an image is not usable
   */
  public static Result measure(ImageEncoder encoder, List<byte[]> originals, List<byte[]> reshoots, List<String> names, int k) {
    return measure("encoder", encoder, originals, reshoots, names, k, new EncodedImages());
  }

  /** Measures encoder {@code name}, reusing the vectors {@code cache} already holds for its networks. */
  static Result measure(String name, ImageEncoder encoder, List<byte[]> originals, List<byte[]> reshoots, List<String> names, int k,
      EncodedImages cache) {
    Objects.requireNonNull(encoder, "encoder");
    if (originals.size() != reshoots.size() || originals.size() != names.size() || k < 1) {
      throw new IllegalArgumentException("need as many re-shoots and names as originals (" + originals.size() + ", "
          + reshoots.size() + ", " + names.size() + ") and k >= 1");
    }
    long start = System.nanoTime();
    List<float[]> base = cache.vectors(name, encoder, "originals", originals, names);
    List<String> shotNames = names.stream().map(n -> n + " (re-shoot)").toList();
    List<float[]> queries = cache.vectors(name, encoder, "reshoots", reshoots, shotNames);
    double seconds = (System.nanoTime() - start) / 1e9;
    int top1 = 0;
    int topK = 0;
    int[] ranks = new int[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      ranks[i] = rankOf(queries.get(i), base, i);
      top1 += ranks[i] == 0 ? 1 : 0;
      topK += ranks[i] < k ? 1 : 0;
    }
    int n = queries.size();
    return new Result(n == 0 ? 0 : (double) top1 / n, n == 0 ? 0 : (double) topK / n, k, n, seconds, base, queries, ranks);
  }

  /** How many originals score strictly higher than {@code base.get(target)} (ties favour the target). */
  static int rankOf(float[] query, List<float[]> base, int target) {
    double own = Vectors.dot(query, base.get(target));
    int rank = 0;
    for (int j = 0; j < base.size(); j++) {
      if (j != target && Vectors.dot(query, base.get(j)) > own) {
        rank++;
      }
    }
    return rank;
  }
}
