package dev.facet.embed;

import dev.facet.catalog.image.ImagePipeline;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Photo search measured by re-shoots: every original is encoded, every re-shoot is searched among
 * all originals by cosine (exact), and a hit is the re-shoot's own original ranking first (top 1)
 * or within the first {@code k}. Both sides go through {@link ImagePipeline} at the encoder's input
 * side, as ingest and photo search do.
 */
public final class ReshootRetrieval {
  /**
   * Hit rates of one encoder.
   *
   * @param top1 share of re-shoots whose original comes first
   * @param topK share whose original is among the first {@code k}
   * @param k neighbours counted for {@code topK}
   * @param count re-shoots searched
   * @param seconds wall time spent decoding and encoding both sides
   * @param originals the originals' vectors, in input order (for neighbour agreement)
   */
  public record Result(double top1, double topK, int k, int count, double seconds, List<float[]> originals) {}

  private ReshootRetrieval() {}

  /**
   * @param originals image bytes, one per item
   * @param reshoots image bytes, {@code reshoots.get(i)} showing what {@code originals.get(i)} shows
   * @param names names of the items, for decoder error messages
   * @throws dev.facet.catalog.image.ImageRejectedException when an image is not usable
   */
  public static Result measure(ImageEncoder encoder, List<byte[]> originals, List<byte[]> reshoots, List<String> names, int k) {
    Objects.requireNonNull(encoder, "encoder");
    if (originals.size() != reshoots.size() || originals.size() != names.size() || k < 1) {
      throw new IllegalArgumentException("need as many re-shoots and names as originals (" + originals.size() + ", "
          + reshoots.size() + ", " + names.size() + ") and k >= 1");
    }
    long start = System.nanoTime();
    ImagePipeline pipeline = new ImagePipeline(encoder.inputSize());
    List<float[]> base = encodeAll(encoder, pipeline, originals, names, "");
    List<float[]> queries = encodeAll(encoder, pipeline, reshoots, names, " (re-shoot)");
    double seconds = (System.nanoTime() - start) / 1e9;
    int top1 = 0;
    int topK = 0;
    for (int i = 0; i < queries.size(); i++) {
      int rank = rankOf(queries.get(i), base, i);
      top1 += rank == 0 ? 1 : 0;
      topK += rank < k ? 1 : 0;
    }
    int n = queries.size();
    return new Result(n == 0 ? 0 : (double) top1 / n, n == 0 ? 0 : (double) topK / n, k, n, seconds, base);
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

  private static List<float[]> encodeAll(ImageEncoder encoder, ImagePipeline pipeline, List<byte[]> images, List<String> names,
      String suffix) {
    List<float[]> out = new ArrayList<>(images.size());
    List<float[]> batch = new ArrayList<>(ResNetImageEncoder.MAX_BATCH);
    for (int i = 0; i < images.size(); i++) {
      batch.add(pipeline.decodeChw(images.get(i), names.get(i) + suffix));
      if (batch.size() == ResNetImageEncoder.MAX_BATCH || i == images.size() - 1) {
        out.addAll(List.of(encoder.encode(batch)));
        batch.clear();
      }
    }
    return out;
  }
}
