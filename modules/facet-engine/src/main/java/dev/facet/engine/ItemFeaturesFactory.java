package dev.facet.engine;

import com.google.inject.Singleton;
import dev.facet.core.Listing;
import dev.facet.core.ListingAttribute;
import dev.facet.model.ItemFeatures;
import java.util.LinkedHashMap;
import java.util.Map;

/** Turns a listing and its encoder vectors into the joint model's item input. */
@Singleton
final class ItemFeaturesFactory {
  /** Price band edges in CNY: the model sees a band, not the raw price. */
  private static final double[] PRICE_EDGES = {300, 800, 2000, 5000, 12000};

  ItemFeatures of(Listing listing, float[] image, float[] text) {
    return new ItemFeatures(listing.id(), image, text, modelAttributes(listing));
  }

  /** The attributes the item tower reads: a metadata edit that leaves them equal leaves the joint vector equal. */
  Map<String, String> modelAttributes(Listing listing) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (ListingAttribute a : ListingAttribute.values()) {
      put(attributes, a.key(), a.of(listing));
    }
    attributes.put("price_band", priceBand(listing.price()));
    return attributes;
  }

  static String priceBand(double price) {
    int band = 0;
    while (band < PRICE_EDGES.length && price >= PRICE_EDGES[band]) {
      band++;
    }
    return "p" + band;
  }

  private static void put(Map<String, String> m, String key, String value) {
    if (value != null && !value.isBlank()) {
      m.put(key, value);
    }
  }
}
