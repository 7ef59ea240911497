package dev.facet.catalog;

import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates one raw listing and builds the {@link Listing}. Rules (DESIGN.md, Formats): {@code id},
 * {@code title}, {@code category}, {@code price} and at least one image are required; the price
 * must be finite, strictly positive (a zero price in a jewelry catalog is a data-entry error, and it
 * would poison price features) and at most {@link #MAX_PRICE} (more than any real listing, so such
 * values are unit or typing mistakes); image paths must be local, since Facet never fetches from the
 * network. Unknown fields become {@link Listing#attributes()}.
 */
final class ListingParser {
  /** Largest plausible price, in the listing's currency (designed for CNY). */
  static final double MAX_PRICE = 10_000_000d;

  static final Set<String> KNOWN_FIELDS = Set.of("id", "title", "title_en", "description", "category",
      "material", "gemstone", "color", "style", "price", "currency", "merchant", "images", "in_stock");
  static final List<String> REQUIRED = List.of("id", "title", "category", "price", "images");

  private static final Pattern REMOTE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*://|data:).*");

  private ListingParser() {}

  /** The record's id when it can be read, for error context; never throws. */
  static String idOf(RecordFields r) {
    try {
      String id = r.id("id");
      return id == null || id.isBlank() ? null : id.trim();
    } catch (FieldException e) {
      return null;
    }
  }

  static Listing parse(RecordFields r) throws FieldException {
    String id = required(r.id("id"), "id");
    String title = required(r.text("title"), "title");
    String category = required(r.text("category"), "category");
    Double price = r.number("price");
    if (price == null) {
      throw missing("price");
    }
    if (!Double.isFinite(price)) {
      throw new FieldException("price", "price is not a finite number");
    }
    if (price < 0) {
      throw new FieldException("price", "negative price: " + price);
    }
    if (price == 0) {
      throw new FieldException("price", "zero price");
    }
    if (price > MAX_PRICE) {
      throw new FieldException("price", "absurd price: " + price + " > " + (long) MAX_PRICE);
    }
    List<String> images = r.textList("images");
    if (images == null || images.isEmpty()) {
      throw new FieldException("images", "missing required field (at least one image)");
    }
    List<String> clean = new ArrayList<>(images.size());
    for (String image : images) {
      String path = image == null ? "" : image.trim();
      if (path.isEmpty()) {
        throw new FieldException("images", "blank image path");
      }
      if (REMOTE.matcher(path).matches()) {
        throw new FieldException("images", "remote image URL not supported (Facet never fetches from the network): " + path);
      }
      clean.add(path);
    }
    Boolean inStock = r.bool("in_stock");
    String currency = optional(r.text("currency"));
    if (currency != null && !currency.matches("[A-Za-z]{3}")) {
      throw new FieldException("currency", "invalid currency code: '" + currency + "' (expected ISO 4217, e.g. CNY)");
    }
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (String name : r.names()) {
      if (!KNOWN_FIELDS.contains(name)) {
        Object value = r.raw(name);
        if (value != null) {
          attributes.put(name, value);
        }
      }
    }
    return new Listing(id, title.trim(), optional(r.text("title_en")), optional(r.text("description")),
        category.trim(), optional(r.text("material")), optional(r.text("gemstone")), optional(r.text("color")),
        optional(r.text("style")), price, currency == null ? null : currency.toUpperCase(java.util.Locale.ROOT),
        optional(r.id("merchant")), clean, inStock == null || inStock, attributes);
  }

  static String required(String value, String field) throws FieldException {
    if (value == null || value.isBlank()) {
      throw missing(field);
    }
    return value.trim();
  }

  static FieldException missing(String field) {
    return new FieldException(field, "missing required field");
  }

  static String optional(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
