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
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
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
      List<Interaction> events = new ArrayList<>();
      List<UserProfile> users = new ArrayList<>();
      catalogDir().ifPresent(dir -> {
        CatalogFiles files = reader.locate(dir);
        if (files.interactions() != null) {
          reader.readInteractions(files.interactions(), events::add, errors::add);
        }
        if (files.users() != null) {
          reader.readUsers(files.users(), users::add, errors::add);
        }
      });
      if (Files.exists(eventsFile)) {
        reader.readInteractions(eventsFile, events::add, errors::add);
      }
      if (!errors.isEmpty()) {
        LOG.warn("{} behaviour records skipped while loading, first: {}", errors.size(), errors.get(0));
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
   */
  void record(Interaction event) {
    recordAll(List.of(event));
  }

  /** Appends events as {@link #record} does, in one write (a batch from the API or an importer). */
  void recordAll(List<Interaction> batch) {
    ensureLoaded();
    StringBuilder lines = new StringBuilder();
    for (Interaction event : batch) {
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
      batch.forEach(store::add);
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
