package dev.facet.cli.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.facet.core.Listing;
import dev.facet.core.Reason;
import dev.facet.core.Recommendation;
import dev.facet.core.SearchHit;
import dev.facet.index.IndexedListing;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** JSON shapes of the API: snake_case fields, listings enriched with what the page shows. */
final class Views {
  static final ObjectMapper JSON = new ObjectMapper();

  private Views() {}

  static ObjectNode error(String message) {
    return JSON.createObjectNode().put("error", message);
  }

  /** Search hits, each with the listing fields the grid shows. */
  static ObjectNode hits(List<SearchHit> hits, Function<String, Optional<IndexedListing>> lookup) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode items = root.putArray("items");
    int rank = 1;
    for (SearchHit hit : hits) {
      ObjectNode item = items.addObject();
      item.put("rank", rank++);
      item.put("score", hit.score());
      Optional<IndexedListing> doc = lookup.apply(hit.id());
      if (doc.isPresent()) {
        summary(item, doc.get().listing());
      } else {
        // Deleted between search and lookup: still show what the hit itself carries.
        item.put("id", hit.id()).put("title", hit.title()).put("price", hit.price())
            .put("image_url", imageUrl(hit.imagePath()));
      }
    }
    root.put("count", hits.size());
    return root;
  }

  /** Recommendations with their reasons and listing fields. */
  static ObjectNode recommendations(List<Recommendation> recs, Function<String, Optional<IndexedListing>> lookup) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode items = root.putArray("items");
    int rank = 1;
    for (Recommendation rec : recs) {
      ObjectNode item = items.addObject();
      item.put("rank", rank++);
      item.put("score", rec.score());
      Optional<IndexedListing> doc = lookup.apply(rec.itemId());
      if (doc.isPresent()) {
        summary(item, doc.get().listing());
      } else {
        item.put("id", rec.itemId());
      }
      ArrayNode reasons = item.putArray("reasons");
      for (Reason reason : rec.reasons()) {
        ObjectNode r = reasons.addObject();
        r.put("kind", reason.kind().name().toLowerCase(Locale.ROOT));
        r.put("text", reason.text());
        r.put("related_item", reason.relatedItem());
      }
    }
    root.put("count", recs.size());
    return root;
  }

  /** Every public field of one listing. */
  static ObjectNode listing(Listing l) {
    ObjectNode node = summary(JSON.createObjectNode(), l);
    node.put("title_en", l.titleEn());
    node.put("description", l.description());
    node.put("color", l.color());
    node.put("style", l.style());
    node.put("currency", l.currency());
    node.put("merchant", l.merchant());
    ArrayNode images = node.putArray("images");
    for (String image : l.images()) {
      images.add(imageUrl(image));
    }
    return node;
  }

  private static ObjectNode summary(ObjectNode node, Listing l) {
    return node.put("id", l.id())
        .put("title", l.title())
        .put("price", l.price())
        .put("currency", l.currency())
        .put("category", l.category())
        .put("material", l.material())
        .put("gemstone", l.gemstone())
        .put("in_stock", l.inStock())
        .put("image_url", imageUrl(l.primaryImage()));
  }

  /**
   * The URL under which the server serves a catalog image path, or null when the path is absolute
   * (images outside the catalog directory are never served).
   */
  static String imageUrl(String imagePath) {
    if (imagePath == null || imagePath.isBlank() || imagePath.startsWith("/") || imagePath.contains("\\")
        || Path.of(imagePath).isAbsolute()) {
      return null;
    }
    StringBuilder url = new StringBuilder("/images");
    for (String segment : imagePath.split("/")) {
      if (!segment.isEmpty() && !segment.equals(".")) {
        url.append('/').append(URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20"));
      }
    }
    return url.toString();
  }
}
