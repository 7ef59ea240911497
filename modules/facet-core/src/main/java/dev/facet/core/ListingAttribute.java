package dev.facet.core;

import java.util.function.Function;

/**
 * The keyword attributes of a {@link Listing}: the fields filters, model tokens, search hits and reasons name.
 * {@link #key()} is the name used in catalog files, the index and the model's {@code key=value} tokens.
 */
public enum ListingAttribute {
  CATEGORY("category", Listing::category),
  MATERIAL("material", Listing::material),
  GEMSTONE("gemstone", Listing::gemstone),
  COLOR("color", Listing::color),
  STYLE("style", Listing::style),
  MERCHANT("merchant", Listing::merchant);

  private final String key;
  private final Function<Listing, String> value;

  ListingAttribute(String key, Function<Listing, String> value) {
    this.key = key;
    this.value = value;
  }

  /** The attribute's name in files, the index and model tokens. */
  public String key() {
    return key;
  }

  /** The listing's value of this attribute, or null when it has none. */
  public String of(Listing listing) {
    return value.apply(listing);
  }

  /**
   * The attribute of that name.
   *
   * @throws IllegalArgumentException naming the known attributes when there is none of that name
   */
  public static ListingAttribute ofKey(String key) {
    for (ListingAttribute a : values()) {
      if (a.key.equals(key)) {
        return a;
      }
    }
    throw new IllegalArgumentException("no listing attribute '" + key + "'; known: category, material, gemstone, color, style, merchant");
  }
}
