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
import dev.facet.core.UserProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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

  /**
   * Loads behaviour on first call; later calls return at once. Everything is read before anything
   * goes into the store, so a load that fails halfway leaves the store empty and the next call
   * starts over instead of adding the same events twice.
   */
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
      List<Interaction> events = new ArrayList<>();
      List<UserProfile> users = new ArrayList<>();
      Consumer<Interaction> kept = i -> {
        if (!i.ts().isBefore(cutoff) && !tombstones.contains(i.user())) {
          events.add(i);
        }
      };
      catalogDir().ifPresent(dir -> {
        CatalogFiles files = reader.locate(dir);
        if (files.interactions() != null) {
          reader.readInteractions(files.interactions(), kept, errors::add);
        }
        if (files.users() != null) {
          reader.readUsers(files.users(), p -> {
            if (!tombstones.contains(p.user())) {
              users.add(p);
            }
          }, errors::add);
        }
      });
      if (Files.exists(eventsFile)) {
        reader.readInteractions(eventsFile, kept, errors::add);
      }
      if (!errors.isEmpty()) {
        // The records name users: their details stay at debug level.
        LOG.warn("{} behaviour records skipped while loading (details at debug level)", errors.size());
        errors.forEach(e -> LOG.debug("behaviour record skipped: {}", e));
      }
      users.forEach(store::putProfile);
      events.forEach(store::add);
      loaded = true;
    }
  }

  /**
   * Appends a live event to the events file and to the in-memory histories. When this returns the
   * line is in the operating system's file cache, so it survives a kill of the process; it is forced
   * to the disk at most {@link #FORCE_EVERY_NANOS} later (group commit: the first event after that
   * interval forces every line written before it), so a power cut loses at most about a second.
   * Events of an erased user are dropped: the id stays erased (a shop that wants to track the person
   * again gives them a new id).
   */
  void record(Interaction event) {
    recordAll(List.of(event));
  }

  /** Appends events as {@link #record} does, in one write (a batch from the API or an importer). */
  void recordAll(List<Interaction> batch) {
    ensureLoaded();
    List<Interaction> kept = batch.stream().filter(e -> !tombstones.contains(e.user())).toList();
    StringBuilder lines = new StringBuilder();
    for (Interaction event : kept) {
      ObjectNode line = json.createObjectNode()
          .put("user", event.user())
          .put("item", event.item())
          .put("event", event.event().wireName())
          .put("ts", event.ts().toString());
      try {
        lines.append(json.writeValueAsString(line)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    synchronized (this) {
      append(lines.toString());
      kept.forEach(store::add);
    }
  }

  private void append(String lines) {
    try {
      if (events == null) {
        Files.createDirectories(eventsFile.getParent());
        events = FileChannel.open(eventsFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
      }
      ByteBuffer bytes = ByteBuffer.wrap(lines.getBytes(StandardCharsets.UTF_8));
      while (bytes.hasRemaining()) {
        events.write(bytes);
      }
      long now = System.nanoTime();
      if (now - lastForce > FORCE_EVERY_NANOS) {
        events.force(false);
        lastForce = now;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("recording events in " + eventsFile, e);
    }
  }

  /** Longest time an acknowledged event waits in the OS cache before it is forced to disk. */
  static final long FORCE_EVERY_NANOS = 1_000_000_000L;
  private FileChannel events;
  private long lastForce = System.nanoTime();

  /** Forces and closes the events file. */
  synchronized void close() {
    if (events != null) {
      try {
        events.force(false);
        events.close();
      } catch (IOException e) {
        LOG.warn("closing {}: {}", eventsFile, e.getMessage());
      }
      events = null;
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
  private synchronized long rewriteEvents(java.util.function.Predicate<com.fasterxml.jackson.databind.JsonNode> keep) {
    if (!Files.exists(eventsFile)) {
      return 0;
    }
    close(); // the append channel would go on writing to the replaced file; the next event reopens it
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
