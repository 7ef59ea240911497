package dev.facet.embed;

import dev.facet.catalog.image.ImagePipeline;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.FacetException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Re-shoot retrieval on a folder of real photographs ({@code facet bench reshoot --photos DIR}):
 * every photo gets a {@link PhotoReshoot}, which is searched among all the folder's photos, for
 * several encoders side by side. Photos that Facet's image pipeline or Java's decoders refuse are
 * listed as skipped, with the reason, and left out for every encoder alike.
 */
public final class PhotoFolderReshoot {
  private static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png", ".bmp");

  /** The photos kept, their re-shoots, and those skipped with the reason. */
  record Photos(List<String> names, List<byte[]> originals, List<byte[]> reshoots, Map<String, String> skipped) {}

  private PhotoFolderReshoot() {}

  /**
   * @param encoders encoder names, the first being the one reported at the top level
   * @param open opens an encoder by name (the caller's choice of descriptor or file); a
   *     {@link FacetException} marks that encoder as skipped
   * @return JSON tree: {@code photos}, {@code k}, {@code hit_rate_top_1} and {@code hit_rate_top_k}
   *     of the first encoder, and {@code encoders} with every encoder's figures
   * @throws IllegalArgumentException when fewer than {@code k + 1} photos are usable
   */
  public static Map<String, Object> run(Path dir, long seed, int k, List<String> encoders, Function<String, ImageEncoder> open) {
    Photos photos = load(dir, seed);
    if (photos.names().size() <= k) {
      throw new IllegalArgumentException(dir + ": " + photos.names().size() + " usable photos, need more than k=" + k);
    }
    Map<String, Object> perEncoder = new LinkedHashMap<>();
    EncodedImages cache = new EncodedImages();
    for (String name : encoders) {
      perEncoder.put(name, measure(name, open, photos, k, cache));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("photos", photos.names().size());
    out.put("k", k);
    out.put("seed", seed);
    out.put("encoder", encoders.getFirst());
    @SuppressWarnings("unchecked")
    Map<String, Object> first = (Map<String, Object>) perEncoder.get(encoders.getFirst());
    out.put("hit_rate_top_1", first.get("hit_rate_top_1"));
    out.put("hit_rate_top_k", first.get("hit_rate_top_k"));
    out.put("encoders", perEncoder);
    out.put("skipped_photos", photos.skipped());
    return out;
  }

  private static Map<String, Object> measure(String name, Function<String, ImageEncoder> open, Photos photos, int k,
      EncodedImages cache) {
    Map<String, Object> figures = new LinkedHashMap<>();
    try (ImageEncoder encoder = open.apply(name)) {
      ReshootRetrieval.Result r = ReshootRetrieval.measure(name, encoder, photos.originals(), photos.reshoots(), photos.names(), k, cache);
      figures.put("dim", encoder.dimension());
      figures.put("input_size", encoder.inputSize());
      figures.put("hit_rate_top_1", r.top1());
      figures.put("hit_rate_top_k", r.topK());
    } catch (FacetException e) {
      figures.put("skipped", e.getMessage());
    }
    return figures;
  }

  /** Reads the folder's photos (sorted by name) and re-shoots each; unusable ones are skipped. */
  static Photos load(Path dir, long seed) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("--photos " + dir + " is not a directory");
    }
    PhotoReshoot reshoot = new PhotoReshoot(seed);
    ImagePipeline check = new ImagePipeline(ImagePipeline.MIN_SIDE);
    Photos photos = new Photos(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>());
    for (Path file : imageFiles(dir)) {
      String name = file.getFileName().toString();
      try {
        check.verify(file);
        byte[] bytes = Files.readAllBytes(file);
        byte[] shot = reshoot.reshoot(bytes, name);
        photos.names().add(name);
        photos.originals().add(bytes);
        photos.reshoots().add(shot);
      } catch (ImageRejectedException | IllegalArgumentException | IOException e) {
        photos.skipped().put(name, e.getMessage());
      }
    }
    return photos;
  }

  private static List<Path> imageFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(Files::isRegularFile)
          .filter(p -> EXTENSIONS.stream().anyMatch(p.getFileName().toString().toLowerCase(Locale.ROOT)::endsWith))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
  }
}
