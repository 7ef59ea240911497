package dev.facet.index;

import dev.facet.core.Listing;
import java.util.Arrays;
import java.util.Objects;

/**
 * A listing with everything the index stores about it.
 *
 * <p>{@code image} and {@code text} must be unit length (encoders L2-normalize; checked within 1e-3 on
 * upsert); each may be null when the listing has no such feature. {@code joint} is null until the joint
 * model has been trained. Arrays are copied on construction and compared by content in {@link
 * #equals(Object)}.
 *
 * @param listing the listing, stored as JSON
 * @param contentHash hash of the inputs the vectors were computed from; ingestion compares it to skip work
 * @param image image vector, or null
 * @param text text vector, or null
 * @param joint joint-model item vector, or null
 */
public record IndexedListing(Listing listing, String contentHash, float[] image, float[] text, float[] joint) {

  public IndexedListing {
    Objects.requireNonNull(listing, "listing");
    if (contentHash == null || contentHash.isBlank()) {
      throw new IllegalArgumentException("listing " + listing.id() + ": contentHash is required");
    }
    image = image == null ? null : image.clone();
    text = text == null ? null : text.clone();
    joint = joint == null ? null : joint.clone();
  }

  /** The listing id. */
  public String id() {
    return listing.id();
  }

  /** The vector of the given field, or null when the listing has none. */
  public float[] vector(VectorField field) {
    return switch (field) {
      case IMAGE -> image;
      case TEXT -> text;
      case FUSED -> fused();
      case JOINT -> joint;
    };
  }

  /** A copy with the joint vector replaced. */
  public IndexedListing withJoint(float[] value) {
    return new IndexedListing(listing, contentHash, image, text, value);
  }

  /** The fused vector {@code [image/√2 ; text/√2]}, or null unless both image and text are present. */
  public float[] fused() {
    if (image == null || text == null) {
      return null;
    }
    float scale = (float) (1 / Math.sqrt(2));
    float[] out = new float[image.length + text.length];
    for (int i = 0; i < image.length; i++) {
      out[i] = image[i] * scale;
    }
    for (int i = 0; i < text.length; i++) {
      out[image.length + i] = text[i] * scale;
    }
    return out;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IndexedListing other
        && listing.equals(other.listing)
        && contentHash.equals(other.contentHash)
        && Arrays.equals(image, other.image)
        && Arrays.equals(text, other.text)
        && Arrays.equals(joint, other.joint);
  }

  @Override
  public int hashCode() {
    return Objects.hash(listing, contentHash, Arrays.hashCode(image), Arrays.hashCode(text), Arrays.hashCode(joint));
  }

  @Override
  public String toString() {
    return "IndexedListing[id=" + listing.id() + ", contentHash=" + contentHash
        + ", image=" + dims(image) + ", text=" + dims(text) + ", joint=" + dims(joint) + "]";
  }

  private static String dims(float[] v) {
    return v == null ? "none" : v.length + "d";
  }
}
