package dev.facet.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.facet.catalog.ListingContentHash;
import dev.facet.core.Listing;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Listing JSON (stable, sorted keys) as stored in the Parquet output, and the content hash the Spark
 * job keys re-runs on: {@link ListingContentHash}, the same function local ingestion uses.
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

  /** The shared content hash; the listing JSON is only the stored form. */
  static String of(Listing listing, Path base) throws IOException {
    return ListingContentHash.of(listing, base);
  }
}
