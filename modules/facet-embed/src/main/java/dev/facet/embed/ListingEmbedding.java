package dev.facet.embed;

import java.util.Objects;

/**
 * The vectors of one listing.
 *
 * @param id listing id
 * @param image unit image vector of the listing's primary image, or null when the pipeline ran
 *     without an image encoder
 * @param text unit vector of {@code Listing.searchableText()}, or null when the pipeline ran without
 *     a text encoder
 */
public record ListingEmbedding(String id, float[] image, float[] text) {
  public ListingEmbedding {
    Objects.requireNonNull(id, "id");
  }
}
