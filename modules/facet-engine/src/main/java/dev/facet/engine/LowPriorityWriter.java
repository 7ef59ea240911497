package dev.facet.engine;

import dev.facet.embed.BackgroundPriority;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs live catalog writes (batch upserts, ingests handed to a serving engine) on a thread at a lower
 * priority than the threads answering requests ({@value #STEPS} Linux nice values below the thread
 * that asks, so also when the whole process runs niced); the caller waits for the result. A catalog
 * update embeds photos on all cores for minutes, and at equal priority it took half the CPU from a
 * recommendation that arrived meanwhile. The engine's intra-op worker threads that a write starts
 * inherit its priority, so the embedding as a whole yields to requests, and still gets every core
 * when no request needs it. The thread ends after a short idle time.
 */
final class LowPriorityWriter {
  /** How far below its creator the writing thread runs; its preparation workers go lower still. */
  static final int STEPS = 10;

  private final ThreadPoolExecutor thread = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), r -> {
        Thread t = new Thread(() -> {
          BackgroundPriority.lowerCurrentThreadBy(STEPS);
          r.run();
        }, "facet-catalog-writer");
        t.setDaemon(true);
        return t;
      });

  /** Runs {@code write} on the writer thread and returns its result, rethrowing what it threw. */
  <T> T run(Supplier<T> write) {
    try {
      return thread.submit(write::get).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a catalog write", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
