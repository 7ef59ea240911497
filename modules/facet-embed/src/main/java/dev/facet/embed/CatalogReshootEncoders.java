package dev.facet.embed;

import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The catalog re-shoot measured per image encoder, without an index: each encoder embeds every
 * listing's catalog photo and every re-shoot, a re-shoot is searched among all catalog photos
 * (exact cosine), and the catalog photos' vectors give the category and material agreement of
 * their nearest neighbours ({@link NeighbourAgreement}). Encoders sharing a network share its
 * vectors ({@link EncodedImages}).
 */
public final class CatalogReshootEncoders {
  private CatalogReshootEncoders() {}

  /** The bytes of every listing's primary image, in order. */
  public static List<byte[]> primaryImages(List<Listing> listings, Function<Listing, Path> imagePath) {
    List<byte[]> out = new ArrayList<>(listings.size());
    for (Listing listing : listings) {
      Path file = imagePath.apply(listing);
      try {
        out.add(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new UncheckedIOException("listing " + listing.id() + ": cannot read image " + file, e);
      }
    }
    return out;
  }

  /**
   * @param reshoots {@code reshoots.get(i)} shows {@code listings.get(i)}'s product
   * @param open opens an encoder by name; a {@link FacetException} marks it skipped
   * @param reshootVectors receives, per encoder name, the re-shoots' vectors (the caller may search
   *     an index with them)
   * @return per encoder name: hit rates, agreement at {@code agreementK}, dimension, and where the
   *     top-{@code k} misses are ({@link #missesByGroup})
   */
  public static Map<String, Object> run(List<Listing> listings, List<byte[]> originals, List<byte[]> reshoots, int k,
      int agreementK, List<String> encoders, Function<String, ImageEncoder> open, Map<String, List<float[]>> reshootVectors) {
    List<String> names = listings.stream().map(Listing::id).toList();
    Map<String, Object> out = new LinkedHashMap<>();
    EncodedImages cache = new EncodedImages();
    for (String name : encoders) {
      Map<String, Object> figures = new LinkedHashMap<>();
      try (ImageEncoder encoder = open.apply(name)) {
        ReshootRetrieval.Result r = ReshootRetrieval.measure(name, encoder, originals, reshoots, names, k, cache);
        NeighbourAgreement agreement = NeighbourAgreement.measure(listings, r.originals(), agreementK);
        reshootVectors.put(name, r.reshoots());
        figures.put("dim", encoder.dimension());
        figures.put("hit_rate_top_1", r.top1());
        figures.put("hit_rate_top_k", r.topK());
        figures.put("category_agreement@" + agreementK, agreement.category());
        figures.put("material_agreement@" + agreementK, agreement.material());
        figures.put("top_k_misses_by_category_gemstone", missesByGroup(listings, r.ranks(), k));
      } catch (FacetException e) {
        figures.put("skipped", e.getMessage());
      }
      out.put(name, figures);
    }
    return out;
  }

  /**
   * Where the top-{@code k} misses are: per category/gemstone group with at least one miss, its
   * listings and misses, most misses first. A group whose photos differ little by construction
   * shows up here rather than being averaged away in the hit rate.
   */
  static Map<String, Map<String, Integer>> missesByGroup(List<Listing> listings, int[] ranks, int k) {
    if (ranks.length != listings.size()) {
      throw new IllegalArgumentException(ranks.length + " ranks for " + listings.size() + " listings");
    }
    Map<String, int[]> counts = new java.util.TreeMap<>();
    for (int i = 0; i < ranks.length; i++) {
      Listing l = listings.get(i);
      int[] c = counts.computeIfAbsent(l.category() + "/" + l.gemstone(), g -> new int[2]);
      c[0]++;
      c[1] += ranks[i] >= k ? 1 : 0;
    }
    Map<String, Map<String, Integer>> out = new LinkedHashMap<>();
    counts.entrySet().stream()
        .filter(e -> e.getValue()[1] > 0)
        .sorted((a, b) -> Integer.compare(b.getValue()[1], a.getValue()[1]))
        .forEach(e -> {
          Map<String, Integer> group = new LinkedHashMap<>();
          group.put("listings", e.getValue()[0]);
          group.put("misses", e.getValue()[1]);
          out.put(e.getKey(), group);
        });
    return out;
  }
}
