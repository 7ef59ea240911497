package dev.facet.engine;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Closes, in reverse order of first use, the heavy singletons (index, encoders, model) a Facet
 * instance opened. Singletons come from Guice providers, so nothing else owns their lifecycle.
 */
final class EngineResources implements AutoCloseable {
  private final Deque<AutoCloseable> opened = new ArrayDeque<>();
  private final Map<AutoCloseable, Boolean> seen = new IdentityHashMap<>();

  synchronized <T extends AutoCloseable> T track(T resource) {
    if (seen.put(resource, Boolean.TRUE) == null) {
      opened.push(resource);
    }
    return resource;
  }

  @Override
  public synchronized void close() {
    RuntimeException first = null;
    while (!opened.isEmpty()) {
      try {
        opened.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing Facet resources failed", e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    seen.clear();
    if (first != null) {
      throw first;
    }
  }
}
