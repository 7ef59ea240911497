package dev.facet.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import dev.facet.catalog.CatalogFiles;
import dev.facet.catalog.CatalogReader;
import dev.facet.core.FacetConfig;
import dev.facet.core.Interaction;
import dev.facet.core.RecordError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads behaviour into the {@link BehaviourStore} once — the catalog's interactions and user
 * profiles, then the live events recorded earlier in {@code <work>/events.jsonl} — and appends live
 * events to that file so they survive a restart.
 */
@Singleton
final class BehaviourService {
  private static final Logger LOG = LoggerFactory.getLogger(BehaviourService.class);

  private final FacetConfig config;
  private final CatalogReader reader;
  private final Provider<CatalogIngestor> ingestor;
  private final BehaviourStore store;
  private final ObjectMapper json;
  private final Path eventsFile;
  private volatile boolean loaded;

  @Inject
  BehaviourService(FacetConfig config, CatalogReader reader, Provider<CatalogIngestor> ingestor, BehaviourStore store,
      ObjectMapper json) {
    this.config = config;
    this.reader = reader;
    this.ingestor = ingestor;
    this.store = store;
    this.json = json;
    this.eventsFile = config.workDir().resolve("events.jsonl");
  }

  /** The catalog this work directory serves: the configured one, else the one last ingested. */
  Optional<Path> catalogDir() {
    if (config.catalogDir() != null) {
      return Optional.of(config.catalogDir());
    }
    return ingestor.get().lastCatalog();
  }

  /** Loads behaviour on first call; later calls return at once. */
  void ensureLoaded() {
    if (loaded) {
      return;
    }
    synchronized (this) {
      if (loaded) {
        return;
      }
      List<RecordError> errors = new ArrayList<>();
      catalogDir().ifPresent(dir -> {
        CatalogFiles files = reader.locate(dir);
        if (files.interactions() != null) {
          reader.readInteractions(files.interactions(), store::add, errors::add);
        }
        if (files.users() != null) {
          reader.readUsers(files.users(), store::putProfile, errors::add);
        }
      });
      if (Files.exists(eventsFile)) {
        reader.readInteractions(eventsFile, store::add, errors::add);
      }
      if (!errors.isEmpty()) {
        LOG.warn("{} behaviour records skipped while loading, first: {}", errors.size(), errors.get(0));
      }
      loaded = true;
    }
  }

  /** Appends a live event to the events file and to the in-memory histories. */
  void record(Interaction event) {
    ensureLoaded();
    ObjectNode line = json.createObjectNode()
        .put("user", event.user())
        .put("item", event.item())
        .put("event", event.event().wireName())
        .put("ts", event.ts().toString());
    synchronized (this) {
      try {
        Files.createDirectories(eventsFile.getParent());
        try (Writer w = Files.newBufferedWriter(eventsFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
            StandardOpenOption.APPEND)) {
          w.write(json.writeValueAsString(line));
          w.write('\n');
        }
      } catch (IOException e) {
        throw new UncheckedIOException("recording event in " + eventsFile, e);
      }
      store.add(event);
    }
  }

  /** Every loaded interaction, for training. */
  List<Interaction> allInteractions() {
    ensureLoaded();
    return store.all();
  }

  BehaviourStore store() {
    ensureLoaded();
    return store;
  }
}
