package dev.facet.catalog.sample;

import dev.facet.core.Listing;

/**
 * A generated listing together with the attribute indexes ({@link Vocabulary} order) that the
 * shopper simulation scores against.
 */
record SampleItem(Listing listing, int category, int material, int gemstone, int style, int merchant, double quality) {
  double logPrice() {
    return Math.log(listing.price());
  }
}
