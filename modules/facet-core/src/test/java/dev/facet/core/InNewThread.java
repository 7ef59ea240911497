package dev.facet.core;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/** Runs a body on a fresh thread, so scheduling changes stay off the test's own thread. */
final class InNewThread {
  private InNewThread() {}

  static <T> T get(Supplier<T> body) throws InterruptedException {
    AtomicReference<T> out = new AtomicReference<>();
    Thread t = new Thread(() -> out.set(body.get()));
    t.start();
    t.join();
    return out.get();
  }

  /** Joins {@code t}, keeping the interrupt for the caller. */
  static void join(Thread t) {
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
