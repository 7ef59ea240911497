package dev.facet.engine;

import dev.facet.core.BackgroundPriority;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Runs live catalog writes (batch upserts, ingests handed to a serving engine) on a thread at a lower
 * priority than the threads answering requests; the caller waits for the result. A catalog update
 * embeds photos on all cores for minutes, and at equal priority it took half the CPU from a
 * recommendation that arrived meanwhile. The engine's intra-op worker threads that a write starts
 * inherit its priority, so the embedding as a whole yields to requests, and still gets every core
 * when no request needs it. The thread ends after a short idle time.
 *
 * <p>The thread runs {@value #STEPS} nice values below the thread that asks, under {@code SCHED_BATCH}
 * and with a long time slice ({@link BackgroundPriority#lowerCurrentThread}), so a request that wakes
 * while it runs takes the core at once and the write's own wake-ups never take it from a request.
 * {@code -D}{@value #SCHEDULING_PROPERTY}{@code =idle} also puts it under Linux's {@code SCHED_IDLE},
 * where the write gets no CPU at all while other processes keep the cores busy. Not the default:
 * {@code facet bench live} measured the same request tail with both (README, "Live writes yield to
 * requests").
 */
final class LowPriorityWriter {
  /** How far below its creator the writing thread runs; its preparation workers go lower still. */
  static final int STEPS = 10;
  /** System property: {@code nice} (default) or {@code idle}. */
  static final String SCHEDULING_PROPERTY = "facet.writer.scheduling";

  private final boolean idle;
  private final RequestPriority requests;
  private final OwnThreads thread = new OwnThreads(1, r -> {
    Thread t = new Thread(() -> {
      lower();
      r.run();
    }, "facet-catalog-writer");
    t.setDaemon(true);
    return t;
  });

  LowPriorityWriter(RequestPriority requests) {
    this(schedulingFromProperty(), requests);
  }

  /**
   * @param idle whether the thread also runs under {@code SCHED_IDLE}
   * @param requests told while a write runs, so request calls meanwhile go first ({@link RequestPriority})
   */
  LowPriorityWriter(boolean idle, RequestPriority requests) {
    this.idle = idle;
    this.requests = requests;
  }

  private void lower() {
    BackgroundPriority.lowerCurrentThreadBy(STEPS);
    if (idle) {
      BackgroundPriority.idleCurrentThread();
    }
  }

  /** Whether {@value #SCHEDULING_PROPERTY} asks for {@code SCHED_IDLE}; rejects values other than idle and nice. */
  static boolean schedulingFromProperty() {
    String value = System.getProperty(SCHEDULING_PROPERTY, "nice").trim().toLowerCase(Locale.ROOT);
    return switch (value) {
      case "idle" -> true;
      case "nice" -> false;
      default -> throw new IllegalArgumentException("-D" + SCHEDULING_PROPERTY + " must be idle or nice, got '" + value + "'");
    };
  }

  /** Runs {@code write} on the writer thread and returns its result, rethrowing what it threw. */
  <T> T run(Supplier<T> write) {
    try (RequestPriority.Scope background = requests.background()) {
      return thread.run(write, "a catalog write");
    }
  }
}
