package dev.facet.index;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.core.FacetException;
import dev.facet.core.Listing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The stored JSON form of a {@link Listing}: the catalog format's field names (DESIGN.md), independent of the
 * record's Java names so that stored indexes survive refactorings of the record.
 */
public final class ListingJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

  private ListingJson() {}

  static String write(Listing l) {
    ObjectNode n = catalogFields(l);
    n.set("attributes", MAPPER.valueToTree(l.attributes()));
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new FacetException("listing " + l.id() + ": cannot serialise to JSON", e);
    }
  }

  /**
   * The catalog format's fields of a listing (DESIGN.md), without its free attributes: the stored
   * form nests those under {@code attributes}, a catalog file puts them at the top level.
   */
  public static ObjectNode catalogFields(Listing l) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", l.id());
    n.put("title", l.title());
    putIfPresent(n, "title_en", l.titleEn());
    putIfPresent(n, "description", l.description());
    n.put("category", l.category());
    putIfPresent(n, "material", l.material());
    putIfPresent(n, "gemstone", l.gemstone());
    putIfPresent(n, "color", l.color());
    putIfPresent(n, "style", l.style());
    n.put("price", l.price());
    n.put("currency", l.currency());
    putIfPresent(n, "merchant", l.merchant());
    ArrayNode images = n.putArray("images");
    l.images().forEach(images::add);
    n.put("in_stock", l.inStock());
    return n;
  }

  static Listing read(String json) {
    try {
      JsonNode n = MAPPER.readTree(json);
      List<String> images = new ArrayList<>();
      n.get("images").forEach(x -> images.add(x.asText()));
      Map<String, Object> attributes = n.hasNonNull("attributes")
          ? MAPPER.convertValue(n.get("attributes"), MAP) : Map.of();
      return new Listing(
          text(n, "id"), text(n, "title"), text(n, "title_en"), text(n, "description"), text(n, "category"),
          text(n, "material"), text(n, "gemstone"), text(n, "color"), text(n, "style"),
          n.get("price").asDouble(), text(n, "currency"), text(n, "merchant"), images,
          n.get("in_stock").asBoolean(), attributes);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new FacetException("stored listing JSON is corrupt: " + abbreviate(json), e);
    }
  }

  private static void putIfPresent(ObjectNode n, String field, String value) {
    if (value != null) {
      n.put(field, value);
    }
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "…";
  }
}
