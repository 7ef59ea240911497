package dev.facet.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.core.EventType;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.core.UserProfile;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Test-scope reader of the generated sample catalog ({@code listings.jsonl}, {@code interactions.jsonl},
 * optional {@code users.jsonl} and {@code ground-truth.jsonl}) into a {@link RecDataset}: attributes
 * from the listing fields (price as a price band), no image/text vectors (the engine supplies those).
 */
final class CatalogSamples {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> SKIP = Set.of("id", "title", "title_en", "description", "images", "price",
      "currency", "in_stock");

  private CatalogSamples() {}

  static RecDataset read(Path dir) {
    List<ItemFeatures> items = new ArrayList<>();
    for (JsonNode n : lines(dir.resolve("listings.jsonl"))) {
      Map<String, String> attrs = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = n.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!SKIP.contains(e.getKey()) && e.getValue().isValueNode() && !e.getValue().asText().isBlank()) {
          attrs.put(e.getKey(), e.getValue().asText());
        }
      }
      if (n.has("price")) {
        attrs.put("price_band", priceBand(n.get("price").asDouble()));
      }
      items.add(new ItemFeatures(n.get("id").asText(), null, null, attrs));
    }
    List<Interaction> inter = new ArrayList<>();
    for (JsonNode n : lines(dir.resolve("interactions.jsonl"))) {
      inter.add(new Interaction(n.get("user").asText(), n.get("item").asText(), EventType.parse(n.get("event").asText()),
          Instant.parse(n.get("ts").asText())));
    }
    Map<String, UserProfile> users = new LinkedHashMap<>();
    if (Files.exists(dir.resolve("users.jsonl"))) {
      for (JsonNode n : lines(dir.resolve("users.jsonl"))) {
        String u = n.get("user").asText();
        users.put(u, new UserProfile(u, text(n, "age_band"), text(n, "gender"),
            n.hasNonNull("city_tier") ? n.get("city_tier").asInt() : null));
      }
    }
    Map<String, List<String>> oracle = new LinkedHashMap<>();
    if (Files.exists(dir.resolve("ground-truth.jsonl"))) {
      for (JsonNode n : lines(dir.resolve("ground-truth.jsonl"))) {
        List<String> r = new ArrayList<>();
        n.get("ranking").forEach(x -> r.add(x.asText()));
        oracle.put(n.get("user").asText(), r);
      }
    }
    return new RecDataset(items, users, inter, oracle);
  }

  private static String text(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asText() : null;
  }

  static String priceBand(double price) {
    if (price < 500) {
      return "<500";
    }
    if (price < 1500) {
      return "500-1500";
    }
    if (price < 5000) {
      return "1500-5000";
    }
    return price < 15000 ? "5000-15000" : "15000+";
  }

  private static List<JsonNode> lines(Path file) {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          out.add(JSON.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new FacetException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
