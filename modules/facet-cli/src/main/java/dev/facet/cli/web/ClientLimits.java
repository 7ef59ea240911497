package dev.facet.cli.web;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests in flight per client address. A client past its share gets 429 at once instead of
 * taking more worker threads, so a few slow or greedy clients cannot starve the others (and
 * {@code /api/health}, which is never counted, always finds a thread).
 */
final class ClientLimits {
  private final int perClient;
  private final ConcurrentHashMap<String, Integer> inFlight = new ConcurrentHashMap<>();

  ClientLimits(int perClient) {
    if (perClient < 1) {
      throw new IllegalArgumentException("per-client limit must be at least 1");
    }
    this.perClient = perClient;
  }

  /** Takes a slot for {@code client}; false when it already has {@code perClient} requests running. */
  boolean tryAcquire(String client) {
    boolean[] granted = new boolean[1];
    inFlight.compute(client, (c, n) -> {
      int running = n == null ? 0 : n;
      granted[0] = running < perClient;
      return granted[0] ? running + 1 : n;
    });
    return granted[0];
  }

  /** Gives a slot back; the entry goes when the client has none left. */
  void release(String client) {
    inFlight.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
  }
}
