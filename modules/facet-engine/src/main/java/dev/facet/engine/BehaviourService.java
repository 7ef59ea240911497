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
import java.time.Instant;
import java.util.function.Consumer;
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
  private final Tombstones tombstones;
  private final Path eventsFile;
  private volatile boolean loaded;

  @Inject
  BehaviourService(FacetConfig config, CatalogReader reader, Provider<CatalogIngestor> ingestor, BehaviourStore store,
      ObjectMapper json, Tombstones tombstones) {
    this.config = config;
    this.reader = reader;
    this.ingestor = ingestor;
    this.store = store;
    this.json = json;
    this.tombstones = tombstones;
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
      Instant cutoff = EventRetention.cutoff().orElse(Instant.MIN);
      Consumer<Interaction> events = i -> {
        if (!i.ts().isBefore(cutoff) && !tombstones.contains(i.user())) {
          store.add(i);
        }
      };
      catalogDir().ifPresent(dir -> {
        CatalogFiles files = reader.locate(dir);
        if (files.interactions() != null) {
          reader.readInteractions(files.interactions(), events, errors::add);
        }
        if (files.users() != null) {
          reader.readUsers(files.users(), p -> {
            if (!tombstones.contains(p.user())) {
              store.putProfile(p);
            }
          }, errors::add);
        }
      });
      if (Files.exists(eventsFile)) {
        reader.readInteractions(eventsFile, events, errors::add);
      }
      if (!errors.isEmpty()) {
        // The records name users: their details stay at debug level.
        LOG.warn("{} behaviour records skipped while loading (details at debug level)", errors.size());
        errors.forEach(e -> LOG.debug("behaviour record skipped: {}", e));
      }
      loaded = true;
    }
  }

  /**
   * Appends a live event to the events file and to the in-memory histories. Events of an erased
   * user are dropped: the id stays erased (a shop that wants to track the person again gives them a
   * new id).
   */
  void record(Interaction event) {
    ensureLoaded();
    if (tombstones.contains(event.user())) {
      return;
    }
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

  /**
   * Removes {@code user} from memory and from {@code events.jsonl} (rewritten atomically); the
   * caller has added the user to the tombstones, so nothing loads the user again.
   */
  synchronized void forget(String user) {
    store.remove(user);
    rewriteEvents(node -> !user.equals(node.path("user").asText(null)));
  }

  /** Deletes events older than the retention from {@code events.jsonl}; returns how many. */
  synchronized long applyRetention() {
    Instant cutoff = EventRetention.cutoff().orElse(null);
    if (cutoff == null) {
      return 0;
    }
    return rewriteEvents(node -> {
      try {
        return !Instant.parse(node.path("ts").asText("")).isBefore(cutoff);
      } catch (java.time.format.DateTimeParseException e) {
        return true; // the reader rejects it with a reason; retention only judges dates it can read
      }
    });
  }

  /** Keeps the lines of {@code events.jsonl} {@code keep} accepts; returns how many were dropped. */
  private long rewriteEvents(java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> keep) {
    if (!Files.exists(eventsFile)) {
      return 0;
    }
    Path tmp = eventsFile.resolveSibling(eventsFile.getFileName() + ".tmp");
    long dropped = 0;
    try (java.io.BufferedReader in = Files.newBufferedReader(eventsFile, StandardCharsets.UTF_8);
        Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      for (String line; (line = in.readLine()) != null; ) {
        com.fasterxml.jackson.databind.JsonNode node;
        try {
          node = json.readTree(line);
        } catch (IOException e) {
          node = null; // a torn line: kept unless the caller's test says otherwise
        }
        if (node != null && !keep.test(node)) {
          dropped++;
          continue;
        }
        out.write(line);
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rewriting " + eventsFile, e);
    }
    try {
      Files.move(tmp, eventsFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
          java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("replacing " + eventsFile, e);
    }
    return dropped;
  }

  Tombstones tombstones() {
    return tombstones;
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
