package dev.facet.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.inject.Inject;
import com.google.inject.Singleton;
import dev.facet.core.FacetException;
import dev.facet.core.Interaction;
import dev.facet.index.CatalogIndex;
import dev.facet.index.IndexedListing;
import dev.facet.model.ItemFeatures;
import dev.facet.model.RecDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the joint model's {@link RecDataset} from what Facet has ingested: every indexed listing
 * with its image and text vectors and attributes, the behaviour loaded from the catalog, and — for
 * generated catalogs — the oracle rankings of {@code ground-truth.jsonl}.
 */
@Singleton
final class CatalogDatasets {
  static final String GROUND_TRUTH = "ground-truth.jsonl";

  private final CatalogIndex index;
  private final BehaviourService behaviour;
  private final ItemFeaturesFactory features;
  private final ObjectMapper json;

  @Inject
  CatalogDatasets(CatalogIndex index, BehaviourService behaviour, ItemFeaturesFactory features, ObjectMapper json) {
    this.index = index;
    this.behaviour = behaviour;
    this.features = features;
    this.json = json;
  }

  /** The ingested catalog as a training/evaluation dataset; interactions on unindexed items are dropped. */
  RecDataset build() {
    List<ItemFeatures> items = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (String id : new TreeSet<>(index.ids())) {
      Optional<IndexedListing> doc = index.get(id);
      if (doc.isPresent()) {
        items.add(features.of(doc.get().listing(), doc.get().image(), doc.get().text()));
        ids.add(id);
      }
    }
    if (items.isEmpty()) {
      throw new FacetException("the index is empty: ingest a catalog first (facet ingest --catalog DIR)");
    }
    List<Interaction> interactions = new ArrayList<>();
    for (Interaction i : behaviour.allInteractions()) {
      if (ids.contains(i.item())) {
        interactions.add(i);
      }
    }
    Map<String, List<String>> oracle = behaviour.catalogDir().map(d -> d.resolve(GROUND_TRUTH))
        .filter(Files::exists).map(this::readOracle).orElse(Map.of());
    return new RecDataset(items, behaviour.store().profiles(), interactions, oracle);
  }

  private Map<String, List<String>> readOracle(Path file) {
    Map<String, List<String>> out = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      long lineNo = 0;
      for (String line; (line = in.readLine()) != null; ) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        JsonNode user = node.get("user");
        JsonNode ranking = node.get("ranking");
        if (user == null || ranking == null || !ranking.isArray()) {
          throw new FacetException(file + ":" + lineNo + ": ground truth needs 'user' and a 'ranking' array");
        }
        if (behaviour.tombstones().contains(user.asText())) {
          continue; // an erased user: not even as an evaluation target
        }
        List<String> items = new ArrayList<>(ranking.size());
        ranking.forEach(n -> items.add(n.asText()));
        out.put(user.asText(), items);
      }
    } catch (IOException e) {
      throw new FacetException("reading " + file + ": " + e.getMessage(), e);
    }
    return out;
  }
}
