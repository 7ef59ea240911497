package dev.facet.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.Listing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Listing JSON (stable, sorted keys) and the content hash the Spark job keys re-runs on: SHA-256 over
 * the listing's canonical JSON and the bytes of its images.
 *
 * <p>Not the same function as the engine's {@code CatalogIngestor.contentHash} (package-private
 * there), so a local {@code facet ingest} after loading Spark output re-embeds once; see the module
 * notes.
 */
final class ContentHash {
  static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  private ContentHash() {}

  static String toJson(Listing listing) {
    try {
      return JSON.writeValueAsString(listing);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Listing fromJson(String json) {
    try {
      return JSON.readValue(json, Listing.class);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Thrown when an image of the listing cannot be read. */
  static final class MissingImage extends Exception {
    private static final long serialVersionUID = 1L;

    MissingImage(String message) {
      super(message);
    }
  }

  static String of(String listingJson, Listing listing, Path base) throws MissingImage {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    digest.update(listingJson.getBytes(StandardCharsets.UTF_8));
    byte[] buffer = new byte[64 * 1024];
    for (String image : listing.images()) {
      Path file = CatalogReader.resolveImage(base, image);
      try (InputStream in = Files.newInputStream(file)) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          digest.update(buffer, 0, n);
        }
      } catch (NoSuchFileException e) {
        throw new MissingImage("image missing: " + image);
      } catch (IOException e) {
        throw new MissingImage("image unreadable (" + e.getMessage() + "): " + image);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
