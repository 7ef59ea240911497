package dev.facet.cli.web;

/** The rule that keeps {@code facet serve} closed by default. */
public final class ServeSecurity {
  private ServeSecurity() {}

  /**
   * Refuses to serve a non-loopback address without tokens: behaviour data and the event endpoint
   * would be open to the whole network.
   *
   * @throws IllegalArgumentException with the message for the operator
   */
  public static void requireSafeBind(String host, AccessTokens tokens) {
    if (!tokens.enabled() && !RequestGuard.isLoopback(host)) {
      throw new IllegalArgumentException("refusing to serve on " + host + " without access tokens: anyone on the "
          + "network could read shoppers' recommendations and write events. Pass --tokens FILE (lines 'read TOKEN' / "
          + "'write TOKEN'), or serve on 127.0.0.1 behind a proxy that authenticates.");
    }
  }
}
