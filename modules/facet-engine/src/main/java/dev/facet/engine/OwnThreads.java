package dev.facet.engine;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A few of Facet's own threads that run a caller's step while the caller waits: for work that must
 * run with a scheduling the caller's thread does not have (a lower priority, a long time slice),
 * which the threads get from their factory. Threads end after {@value #IDLE_SECONDS} s without work,
 * so an engine that stops using them holds none; steps beyond the thread count wait in arrival order.
 */
final class OwnThreads {
  static final int IDLE_SECONDS = 30;

  private final ThreadPoolExecutor pool;

  OwnThreads(int threads, ThreadFactory factory) {
    if (threads < 1) {
      throw new IllegalArgumentException("at least one thread, got " + threads);
    }
    pool = new ThreadPoolExecutor(threads, threads, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory);
    pool.allowCoreThreadTimeOut(true);
  }

  /**
   * Runs {@code step} on one of the threads and returns its result, rethrowing what it threw.
   *
   * @param what names the step in the error when the caller is interrupted while waiting
   */
  <T> T run(Supplier<T> step, String what) {
    try {
      return pool.submit(step::get).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + what, e);
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
