package dev.facet.catalog;

import dev.facet.core.Listing;
import dev.facet.core.ListingAttribute;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Validates one raw listing and builds the {@link Listing}. Rules (DESIGN.md, Formats): {@code id},
 * {@code title}, {@code category}, {@code price} and at least one image are required; the price
 * must be finite, strictly positive (a zero price in a jewelry catalog is a data-entry error, and it
 * would poison price features) and at most {@link #MAX_PRICE} (more than any real listing, so such
 * values are unit or typing mistakes); image paths must be relative paths inside the catalog
 * directory ({@link CatalogImagePaths}), since Facet never fetches from the network nor reads
 * outside the catalog. Unknown fields become {@link Listing#attributes()}.
 *
 * <p>Sizes are bounded so that one record cannot take over memory, the index or a page that shows
 * it: ids at most {@link #MAX_ID_CHARS} printable characters ({@link Texts#firstIllegalInId});
 * titles at most {@link #MAX_TITLE_CHARS}, descriptions {@link #MAX_DESCRIPTION_CHARS}, the other
 * text fields {@link #MAX_SHORT_CHARS} characters; at most {@link #MAX_IMAGES} images and {@link
 * #MAX_ATTRIBUTES} attributes of at most {@link #MAX_ATTRIBUTE_CHARS} characters each. Text holds
 * no control characters (titles and descriptions may hold tabs and line breaks) and no unpaired
 * surrogates. Each limit is far above what a real listing needs (a Taobao title is 60 characters).
 */
final class ListingParser {
  /** Largest plausible price, in the listing's currency (designed for CNY). */
  static final double MAX_PRICE = 10_000_000d;
  static final int MAX_ID_CHARS = 128;
  static final int MAX_TITLE_CHARS = 1_000;
  static final int MAX_DESCRIPTION_CHARS = 20_000;
  /** Category, material, gemstone, color, style, merchant. */
  static final int MAX_SHORT_CHARS = 200;
  static final int MAX_IMAGES = 32;
  static final int MAX_ATTRIBUTES = 64;
  /** An attribute's name plus its value as text (nested values summed). */
  static final int MAX_ATTRIBUTE_CHARS = 4_096;

  static final Set<String> KNOWN_FIELDS = java.util.stream.Stream.concat(
      java.util.stream.Stream.of("id", "title", "title_en", "description", "price", "currency", "images", "in_stock"),
      java.util.Arrays.stream(ListingAttribute.values()).map(ListingAttribute::key))
      .collect(java.util.stream.Collectors.toUnmodifiableSet());
  static final List<String> REQUIRED = List.of("id", "title", "category", "price", "images");

  private ListingParser() {}

  /** The record's id when it can be read, made printable for error context; never throws. */
  static String idOf(RecordFields r) {
    try {
      String id = r.id("id");
      return id == null || id.isBlank() ? null : Texts.printable(id.strip(), MAX_ID_CHARS);
    } catch (FieldException e) {
      return null;
    }
  }

  static Listing parse(RecordFields r) throws FieldException {
    String id = id(r, "id");
    String title = text(required(r.text("title"), "title"), "title", MAX_TITLE_CHARS, true);
    String category = text(required(r.text("category"), "category"), "category", MAX_SHORT_CHARS, false);
    double price = price(r);
    List<String> images = images(r);
    Boolean inStock = r.bool("in_stock");
    String currency = optional(r.text("currency"));
    if (currency != null && !currency.matches("[A-Za-z]{3}")) {
      throw new FieldException("currency", "invalid currency code: '" + Texts.printable(currency, 20) + "' (expected ISO 4217, e.g. CNY)");
    }
    return new Listing(id, title, optionalText(r, "title_en", MAX_TITLE_CHARS, true),
        optionalText(r, "description", MAX_DESCRIPTION_CHARS, true), category, optionalText(r, "material", MAX_SHORT_CHARS, false),
        optionalText(r, "gemstone", MAX_SHORT_CHARS, false), optionalText(r, "color", MAX_SHORT_CHARS, false),
        optionalText(r, "style", MAX_SHORT_CHARS, false), price, currency == null ? null : currency.toUpperCase(Locale.ROOT),
        optionalId(r, "merchant"), images, inStock == null || inStock, attributes(r));
  }

  /** A required id (listing, user, item): trimmed, bounded, printable. */
  static String id(RecordFields r, String field) throws FieldException {
    return checkId(required(r.id(field), field), field);
  }

  static String optionalId(RecordFields r, String field) throws FieldException {
    String value = optional(r.id(field));
    return value == null ? null : checkId(value, field);
  }

  private static String checkId(String id, String field) throws FieldException {
    if (Texts.longerThan(id, MAX_ID_CHARS)) {
      throw new FieldException(field, "id longer than " + MAX_ID_CHARS + " characters");
    }
    int bad = Texts.firstIllegalInId(id);
    if (bad >= 0) {
      throw new FieldException(field, "illegal character " + Texts.codePoint(id, bad) + " at character " + (bad + 1)
          + " of the id (ids are printable text: no control, format or separator characters)");
    }
    return id;
  }

  /**
   * Checks a present text value: length, control characters, unpaired surrogates.
   *
   * @param multiline whether tabs and line breaks are allowed (titles and descriptions)
   */
  static String text(String value, String field, int maxChars, boolean multiline) throws FieldException {
    if (Texts.longerThan(value, maxChars)) {
      throw new FieldException(field, "text longer than " + maxChars + " characters (" + value.codePointCount(0, value.length()) + ")");
    }
    int bad = Texts.firstControl(value, multiline);
    if (bad >= 0) {
      throw new FieldException(field, "illegal control character " + Texts.codePoint(value, bad) + " at character " + (bad + 1));
    }
    bad = Texts.firstUnpairedSurrogate(value);
    if (bad >= 0) {
      throw new FieldException(field, "invalid Unicode: unpaired surrogate " + Texts.codePoint(value, bad) + " at character " + (bad + 1));
    }
    return value;
  }

  private static String optionalText(RecordFields r, String field, int maxChars, boolean multiline) throws FieldException {
    String value = optional(r.text(field));
    return value == null ? null : text(value, field, maxChars, multiline);
  }

  private static double price(RecordFields r) throws FieldException {
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
    return price;
  }

  private static List<String> images(RecordFields r) throws FieldException {
    List<String> images = r.textList("images");
    if (images == null || images.isEmpty()) {
      throw new FieldException("images", "missing required field (at least one image)");
    }
    if (images.size() > MAX_IMAGES) {
      throw new FieldException("images", "too many images: " + images.size() + " > " + MAX_IMAGES);
    }
    List<String> clean = new ArrayList<>(images.size());
    for (String image : images) {
      String path = image == null ? "" : image.strip();
      String error = CatalogImagePaths.syntaxError(path);
      if (error != null) {
        throw new FieldException("images", path.isEmpty() ? error : error + ": " + Texts.printable(path, 200));
      }
      clean.add(path);
    }
    return clean;
  }

  private static Map<String, Object> attributes(RecordFields r) throws FieldException {
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (String name : r.names()) {
      if (KNOWN_FIELDS.contains(name)) {
        continue;
      }
      Object value = r.raw(name);
      if (value == null) {
        continue;
      }
      if (attributes.size() == MAX_ATTRIBUTES) {
        throw new FieldException(name, "too many attributes (unknown fields): more than " + MAX_ATTRIBUTES);
      }
      String field = Texts.printable(name, 64);
      text(name, field, MAX_SHORT_CHARS, false);
      AttributeSize.check(value, field, MAX_ATTRIBUTE_CHARS - name.length());
      attributes.put(name, value);
    }
    return attributes;
  }

  /**
   * The value without surrounding whitespace. {@code strip}, not {@code trim}: trim also drops
   * control characters, so an id {@code "X-1\0\7"} would pass as {@code X-1}.
   */
  static String required(String value, String field) throws FieldException {
    if (value == null || value.isBlank()) {
      throw missing(field);
    }
    return value.strip();
  }

  static FieldException missing(String field) {
    return new FieldException(field, "missing required field");
  }

  static String optional(String value) {
    return value == null || value.isBlank() ? null : value.strip();
  }
}
