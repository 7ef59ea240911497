package dev.facet.core;

import java.util.HashSet;
import java.util.Set;

/**
 * Restrictions on which listings a search or recommendation may return. Empty sets and null bounds
 * mean "no restriction". Index backends translate a filter into a pre-filter evaluated inside the
 * vector search; {@link #matches(Listing)} is the reference semantics they must agree with.
 */
public record Filter(
    Double minPrice,
    Double maxPrice,
    Set<String> categories,
    Set<String> materials,
    Set<String> gemstones,
    Set<String> merchants,
    boolean inStockOnly) {

  /** A filter that accepts every listing. */
  public static final Filter NONE = new Filter(null, null, Set.of(), Set.of(), Set.of(), Set.of(), false);

  public Filter {
    categories = categories == null ? Set.of() : Set.copyOf(categories);
    materials = materials == null ? Set.of() : Set.copyOf(materials);
    gemstones = gemstones == null ? Set.of() : Set.copyOf(gemstones);
    merchants = merchants == null ? Set.of() : Set.copyOf(merchants);
    if (minPrice != null && (!Double.isFinite(minPrice) || minPrice < 0)) {
      throw new IllegalArgumentException("minPrice must be a finite number >= 0, got " + minPrice);
    }
    if (maxPrice != null && !Double.isFinite(maxPrice)) {
      throw new IllegalArgumentException("maxPrice must be finite, got " + maxPrice);
    }
    if (minPrice != null && maxPrice != null && minPrice > maxPrice) {
      throw new IllegalArgumentException("minPrice " + minPrice + " is above maxPrice " + maxPrice);
    }
  }

  /** Starts a filter that accepts everything until restricted. */
  public static Builder builder() {
    return new Builder();
  }

  /** True when this filter restricts nothing. */
  public boolean isEmpty() {
    return minPrice == null && maxPrice == null && categories.isEmpty() && materials.isEmpty()
        && gemstones.isEmpty() && merchants.isEmpty() && !inStockOnly;
  }

  /** Reference semantics of the filter on one listing. */
  public boolean matches(Listing listing) {
    if (minPrice != null && listing.price() < minPrice) {
      return false;
    }
    if (maxPrice != null && listing.price() > maxPrice) {
      return false;
    }
    if (inStockOnly && !listing.inStock()) {
      return false;
    }
    return allows(categories, listing.category())
        && allows(materials, listing.material())
        && allows(gemstones, listing.gemstone())
        && allows(merchants, listing.merchant());
  }

  private static boolean allows(Set<String> allowed, String value) {
    return allowed.isEmpty() || (value != null && allowed.contains(value));
  }

  /** Mutable builder for {@link Filter}. */
  public static final class Builder {
    private Double minPrice;
    private Double maxPrice;
    private final Set<String> categories = new HashSet<>();
    private final Set<String> materials = new HashSet<>();
    private final Set<String> gemstones = new HashSet<>();
    private final Set<String> merchants = new HashSet<>();
    private boolean inStockOnly;

    private Builder() {}

    public Builder minPrice(Double value) {
      this.minPrice = value;
      return this;
    }

    public Builder maxPrice(Double value) {
      this.maxPrice = value;
      return this;
    }

    public Builder category(String... values) {
      categories.addAll(java.util.Arrays.asList(values));
      return this;
    }

    public Builder material(String... values) {
      materials.addAll(java.util.Arrays.asList(values));
      return this;
    }

    public Builder gemstone(String... values) {
      gemstones.addAll(java.util.Arrays.asList(values));
      return this;
    }

    public Builder merchant(String... values) {
      merchants.addAll(java.util.Arrays.asList(values));
      return this;
    }

    public Builder inStockOnly(boolean value) {
      this.inStockOnly = value;
      return this;
    }

    public Filter build() {
      return new Filter(minPrice, maxPrice, categories, materials, gemstones, merchants, inStockOnly);
    }
  }
}
