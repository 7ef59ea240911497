package dev.facet.engine;

import com.google.inject.Singleton;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one writer of a work directory: catalog ingests, batch upserts and deletes, and the
 * publication of a trained model with its item vectors take it, so they never interleave their
 * index commits or {@code rejects.jsonl}. Readers (search, recommendations) never take it. Fair,
 * so a waiting ingest is not starved by a stream of event-triggered retrains.
 */
@Singleton
final class WriterLock {
  private final ReentrantLock lock = new ReentrantLock(true);

  void lock() {
    lock.lock();
  }

  void unlock() {
    lock.unlock();
  }
}
