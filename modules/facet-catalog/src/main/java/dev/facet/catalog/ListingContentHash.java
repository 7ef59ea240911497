package dev.facet.catalog;

import dev.facet.core.Listing;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The content hash of a listing: SHA-256 over its fields and the bytes of its images. Everything
 * that embeds listings (local ingest, the Spark job) keys "unchanged, skip it" on this one function,
 * so their outputs stay interchangeable.
 */
public final class ListingContentHash {
  private ListingContentHash() {}

  /**
   * Hashes {@code listing} with its images resolved against {@code base}.
   *
   * @throws IOException naming the image when one is missing or unreadable
   */
  public static String of(Listing listing, Path base) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    // Field by field rather than Listing.toString(): the attribute map's iteration order is not
    // stable between JVMs, so it is sorted here.
    String fields = String.join("\u0001", listing.id(), listing.title(), String.valueOf(listing.titleEn()),
        String.valueOf(listing.description()), listing.category(), String.valueOf(listing.material()),
        String.valueOf(listing.gemstone()), String.valueOf(listing.color()), String.valueOf(listing.style()),
        Double.toString(listing.price()), listing.currency(), String.valueOf(listing.merchant()),
        String.join("|", listing.images()), Boolean.toString(listing.inStock()),
        new TreeMap<>(listing.attributes()).toString());
    digest.update(fields.getBytes(StandardCharsets.UTF_8));
    byte[] buffer = new byte[64 * 1024];
    for (String image : listing.images()) {
      Path file = CatalogReader.resolveImage(base, image);
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (NoSuchFileException e) {
        throw new IOException("image missing: " + image, e);
      } catch (IOException e) {
        throw new IOException("image unreadable (" + e.getMessage() + "): " + image, e);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
