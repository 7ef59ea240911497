package dev.facet.model;

import java.util.Map;
import java.util.Objects;

/**
 * Content of one item as the joint model's item tower sees it.
 *
 * <p>Any modality may be absent: {@code image} and {@code text} are null when the item has no such
 * vector (the tower then feeds zeros for that part, never NaN). Attribute values may hold several
 * tokens separated by {@code |} (for example movie genres {@code Action|Comedy}); each token gets its
 * own embedding and the tokens of one attribute are averaged.
 *
 * @param id item id (non-blank)
 * @param image image-encoder vector, or null
 * @param text text-encoder vector, or null
 * @param attributes attribute name to value, e.g. {@code material -> rose_gold}; never null
 */
public record ItemFeatures(String id, float[] image, float[] text, Map<String, String> attributes) {
  public ItemFeatures {
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("item id is required");
    }
    attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    checkFinite(id, "image", image);
    checkFinite(id, "text", text);
  }

  private static void checkFinite(String id, String what, float[] v) {
    if (v == null) {
      return;
    }
    for (float x : v) {
      if (!Float.isFinite(x)) {
        throw new IllegalArgumentException("item " + id + ": " + what + " vector has a non-finite value");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ItemFeatures f && f.id.equals(id)
        && java.util.Arrays.equals(f.image, image) && java.util.Arrays.equals(f.text, text)
        && f.attributes.equals(attributes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, java.util.Arrays.hashCode(image), java.util.Arrays.hashCode(text), attributes);
  }

  @Override
  public String toString() {
    return "ItemFeatures[" + id + ", image=" + (image == null ? "-" : image.length)
        + ", text=" + (text == null ? "-" : text.length) + ", " + attributes + "]";
  }
}
