package dev.facet.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One product listing of a merchant's catalog.
 *
 * <p>The constructor checks the invariants every stored listing has (see DESIGN.md, Formats): a
 * non-blank id, title and category, a finite non-negative price and at least one image. Readers
 * validate the raw record first and report the offending field; this check is the last line.
 *
 * @param id unique listing id, e.g. {@code R-00012}
 * @param title title as shown to shoppers (usually Chinese)
 * @param titleEn English title, may be null
 * @param description free text, may be null
 * @param category ring, necklace, earrings, bracelet, pendant, ...
 * @param material e.g. {@code 18k_gold}, may be null
 * @param gemstone e.g. {@code diamond} or {@code none}, may be null
 * @param color may be null
 * @param style may be null
 * @param price price in {@code currency}
 * @param currency ISO code, {@code CNY} when absent
 * @param merchant merchant id, may be null
 * @param images image paths, relative to the catalog file or absolute; at least one
 * @param inStock whether the listing can be bought now
 * @param attributes unknown fields of the source record, kept as stored attributes
 */
public record Listing(
    String id,
    String title,
    String titleEn,
    String description,
    String category,
    String material,
    String gemstone,
    String color,
    String style,
    double price,
    String currency,
    String merchant,
    List<String> images,
    boolean inStock,
    Map<String, Object> attributes) {

  public Listing {
    requireText(id, "id");
    requireText(title, "title");
    requireText(category, "category");
    if (!Double.isFinite(price) || price < 0) {
      throw new IllegalArgumentException("listing " + id + ": price must be a finite number >= 0, got " + price);
    }
    Objects.requireNonNull(images, "images");
    if (images.isEmpty()) {
      throw new IllegalArgumentException("listing " + id + ": at least one image is required");
    }
    images = List.copyOf(images);
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    currency = currency == null ? "CNY" : currency;
  }

  /** The first image path, used for thumbnails and as the listing's visual identity. */
  public String primaryImage() {
    return images.get(0);
  }

  /** The text fed to the text encoder: title, English title, key attributes and description. */
  public String searchableText() {
    StringBuilder sb = new StringBuilder(title);
    appendIfPresent(sb, titleEn);
    appendIfPresent(sb, category);
    appendIfPresent(sb, material);
    appendIfPresent(sb, gemstone);
    appendIfPresent(sb, color);
    appendIfPresent(sb, style);
    appendIfPresent(sb, description);
    return sb.toString();
  }

  private static void appendIfPresent(StringBuilder sb, String value) {
    if (value != null && !value.isBlank()) {
      sb.append(' ').append(value.replace('_', ' '));
    }
  }

  private static void requireText(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("listing field '" + field + "' is required");
    }
  }
}
