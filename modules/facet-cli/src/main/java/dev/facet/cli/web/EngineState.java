package dev.facet.cli.web;

import dev.facet.engine.Facet;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Readiness of the engine behind the server. The server listens before the engine is ready (a fresh
 * work directory is ingested and trained first), so health checks can see progress; every other
 * endpoint answers 503 until {@link #ready} is called.
 */
public final class EngineState {
  /** What the engine is doing. */
  public enum Status {
    STARTING,
    OK,
    FAILED
  }

  /** One immutable snapshot, swapped atomically so readers never see a half-updated state. */
  record Snapshot(Status status, String phase, Facet facet, Path catalogDir, String error) {}

  private volatile Snapshot current = new Snapshot(Status.STARTING, "starting", null, null, null);

  /** Reports what start-up is doing now, e.g. "ingesting 120/600". Ignored once ready or failed. */
  public void phase(String phase) {
    Snapshot s = current;
    if (s.status() == Status.STARTING) {
      current = new Snapshot(Status.STARTING, phase, null, null, null);
    }
  }

  /**
   * Makes the engine available to requests.
   *
   * @param catalogDir the catalog whose images are served under {@code /images/}, or null for none
   */
  public void ready(Facet facet, Path catalogDir) {
    Objects.requireNonNull(facet, "facet");
    current = new Snapshot(Status.OK, "ready", facet, catalogDir == null ? null : realPath(catalogDir), null);
  }

  /** The image guard compares real paths, so the root must be one too (the catalog may sit behind a link). */
  private static Path realPath(Path dir) {
    try {
      return dir.toRealPath();
    } catch (java.io.IOException e) {
      return dir.toAbsolutePath().normalize(); // missing catalog: every image request is then a 404
    }
  }

  /** Start-up failed; health reports the message, other endpoints keep answering 503. */
  public void failed(String message) {
    current = new Snapshot(Status.FAILED, "failed", null, null, message);
  }

  /** The current status. */
  public Status status() {
    return current.status();
  }

  Snapshot snapshot() {
    return current;
  }

  /** The engine, or null while it is starting or after a failed start. */
  Facet facetOrNull() {
    return current.facet();
  }

  /** The engine, or a 503 for the client when it is not ready yet. */
  Facet facetOr503() {
    Snapshot s = current;
    if (s.facet() == null) {
      throw new HttpException(503, s.status() == Status.FAILED
          ? "the engine failed to start; see /api/health"
          : "the engine is starting (" + s.phase() + "); retry shortly");
    }
    return s.facet();
  }

  Optional<Path> catalogDir() {
    return Optional.ofNullable(current.catalogDir());
  }
}
