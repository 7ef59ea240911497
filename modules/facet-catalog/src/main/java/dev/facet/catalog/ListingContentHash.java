package dev.facet.catalog;

import dev.facet.core.Sha256;
import dev.facet.catalog.image.ImageFiles;
import dev.facet.catalog.image.ImageLimits;
import dev.facet.catalog.image.ImageRejectedException;
import dev.facet.core.Listing;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.TreeMap;

/**
 * The content hash of a listing: SHA-256 over its fields and the bytes of its images. Everything
 * that embeds listings (local ingest, the Spark job) keys "unchanged, skip it" on this one function,
 * so their outputs stay interchangeable.
 *
 * <p>{@link #ofEmbeddingInputs} hashes only what the encoders read (the searchable text and the
 * image bytes): two listings with equal embedding hashes get equal image and text vectors, so an
 * edit of price, stock, merchant or filter-only attributes needs no embedding. The index stores
 * both as {@link #combined}.
 */
public final class ListingContentHash {
  private ListingContentHash() {}

  /**
   * Hashes {@code listing} with its images resolved against {@code base}.
   *
   * @throws IOException naming the image when one is missing, unreadable, outside the catalog
   *     directory, not a regular file or over the file size limit
   */
  public static String of(Listing listing, Path base) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    // Field by field rather than Listing.toString(): the attribute map's iteration order is not
    // stable between JVMs, so it is sorted here.
    String fields = String.join("\u0001", listing.id(), listing.title(), String.valueOf(listing.titleEn()),
        String.valueOf(listing.description()), listing.category(), String.valueOf(listing.material()),
        String.valueOf(listing.gemstone()), String.valueOf(listing.color()), String.valueOf(listing.style()),
        Double.toString(listing.price()), listing.currency(), String.valueOf(listing.merchant()),
        String.join("|", listing.images()), Boolean.toString(listing.inStock()),
        new TreeMap<>(listing.attributes()).toString());
    digest.update(fields.getBytes(StandardCharsets.UTF_8));
    hashImages(digest, listing, base);
    return Sha256.hex(digest);
  }

  /** The hash of what the encoders read: the listing's searchable text and its images' bytes. */
  public static String ofEmbeddingInputs(Listing listing, Path base) throws IOException {
    MessageDigest digest = Sha256.newDigest();
    String fields = String.join("\u0001", listing.id(), listing.searchableText(), String.join("|", listing.images()));
    digest.update(fields.getBytes(StandardCharsets.UTF_8));
    hashImages(digest, listing, base);
    return Sha256.hex(digest);
  }

  /** The stored form of both hashes: {@code <full>;e=<embedding inputs>}. */
  public static String combined(String full, String embeddingInputs) {
    return full + EMBEDDING_PART + embeddingInputs;
  }

  /** The full-content part of a stored hash (all of it for hashes stored before the split). */
  public static String fullPart(String stored) {
    int at = stored.indexOf(EMBEDDING_PART);
    return at < 0 ? stored : stored.substring(0, at);
  }

  /** The embedding-inputs part of a stored hash, or null for hashes stored before the split. */
  public static String embeddingPart(String stored) {
    int at = stored.indexOf(EMBEDDING_PART);
    return at < 0 ? null : stored.substring(at + EMBEDDING_PART.length());
  }

  private static final String EMBEDDING_PART = ";e=";

  private static void hashImages(MessageDigest digest, Listing listing, Path base) throws IOException {
    long maxBytes = ImageLimits.fromSystemProperties().maxFileBytes();
    for (String image : listing.images()) {
      // The same confinement and caps as decoding: hashing reads every byte, so an image path
      // naming a FIFO or /dev/zero would otherwise hang here.
      try {
        digest.update(ImageFiles.read(CatalogReader.resolveImage(base, image), maxBytes));
      } catch (ImageRejectedException e) {
        throw new IOException(ImageCheckWindow.describe(e) + ": " + Texts.printable(image, 200), e);
      }
    }
  }
}
