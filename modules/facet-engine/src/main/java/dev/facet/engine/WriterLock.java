package dev.facet.engine;

import com.google.inject.Inject;
import com.google.inject.Provider;
import com.google.inject.Singleton;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a work directory: catalog ingests, batch upserts and deletes, and the
 * publication of a trained model with its item vectors take it, so they never interleave their
 * index commits or {@code rejects.jsonl}. Readers (search, recommendations) never take it. Fair,
 * so a waiting ingest is not starved by a stream of event-triggered retrains.
 *
 * <p>A section under the lock is what requests see change at once: {@link ServingGenerations}
 * keeps serving the state from before the section until it ends.
 */
@Singleton
final class WriterLock {
  private final ReentrantLock lock = new ReentrantLock(true);
  private final Provider<ServingGenerations> generations;

  @Inject
  WriterLock(Provider<ServingGenerations> generations) {
    this.generations = generations;
  }

  void lock() {
    lock.lock();
    if (lock.getHoldCount() == 1) {
      try {
        generations.get().writerEntered();
      } catch (RuntimeException | Error e) {
        lock.unlock();
        throw e;
      }
    }
  }

  void unlock() {
    try {
      if (lock.getHoldCount() == 1) {
        generations.get().writerLeaving();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Shows requests what the current section wrote so far (see {@link ServingGenerations#publishNow}). */
  void publishSoFar() {
    generations.get().publishNow();
  }
}
