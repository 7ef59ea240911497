package dev.facet.cli.web;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;

/**
 * The checks every request passes before it is routed.
 *
 * <ul>
 *   <li>Host: on a loopback address the {@code Host} header must be a loopback name or address, so a
 *       page whose DNS name was rebound to 127.0.0.1 cannot reach the API; on any other address
 *       (0.0.0.0, a LAN address) the server answers to whatever name the network gives it, and
 *       tokens are mandatory there.
 *   <li>Tokens (when configured): reads need a read or write token, writes a write token; 401 for a
 *       missing or unknown token, 403 for a read token on a write route.
 *   <li>Writes: a browser {@code Origin} (or {@code Sec-Fetch-Site}) from another site is refused, and
 *       the body must be {@code application/json} — the one type a cross-site form cannot send without
 *       a CORS preflight this server never grants.
 * </ul>
 */
final class RequestGuard {
  /** What a route needs. */
  enum Need {
    OPEN,
    READ,
    WRITE
  }

  private static final Set<String> LOOPBACK_NAMES = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private final AccessTokens tokens;
  /** Lower-case names the Host header may carry; null accepts any (wildcard bind). */
  private final Set<String> hostNames;

  RequestGuard(AccessTokens tokens, String boundHost) {
    this.tokens = tokens;
    this.hostNames = allowedNames(boundHost);
  }

  /** The guard of a server bound to {@code boundHost} without tokens (tests, loopback serving). */
  static RequestGuard open(String boundHost) {
    return new RequestGuard(AccessTokens.none(), boundHost);
  }

  private static Set<String> allowedNames(String boundHost) {
    String h = boundHost == null ? "" : boundHost.strip().toLowerCase(Locale.ROOT);
    if (h.isEmpty() || !isLoopback(h)) {
      return null; // reachable by any name the network gives it; tokens are mandatory there
    }
    java.util.HashSet<String> names = new java.util.HashSet<>(LOOPBACK_NAMES);
    names.add(h);
    return Set.copyOf(names);
  }

  /** Whether {@code host} is a loopback address or name (serving there without tokens is allowed). */
  static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  void check(Request request, Need need) {
    checkHost(request);
    if (need == Need.OPEN) {
      return;
    }
    authorize(request, need);
    if (need == Need.WRITE) {
      checkOrigin(request);
    }
  }

  private void checkHost(Request request) {
    if (hostNames == null) {
      return;
    }
    String host = request.getHttpURI().getHost();
    if (host == null || !hostNames.contains(host.toLowerCase(Locale.ROOT))) {
      throw new HttpException(421, "this server does not answer for that host name");
    }
  }

  private void authorize(Request request, Need need) {
    if (!tokens.enabled()) {
      return;
    }
    AccessTokens.Access access = tokens.of(request.getHeaders().get(HttpHeader.AUTHORIZATION));
    if (access == AccessTokens.Access.NONE) {
      throw new HttpException(401, "a valid bearer token is required (Authorization: Bearer TOKEN)");
    }
    if (need == Need.WRITE && access != AccessTokens.Access.WRITE) {
      throw new HttpException(403, "this needs a write token");
    }
  }

  private static void checkOrigin(Request request) {
    String site = request.getHeaders().get("Sec-Fetch-Site");
    if (site != null && !site.equalsIgnoreCase("same-origin") && !site.equalsIgnoreCase("none")) {
      throw new HttpException(403, "cross-site writes are refused");
    }
    String origin = request.getHeaders().get(HttpHeader.ORIGIN);
    if (origin == null) {
      return; // not a browser, or a same-origin GET-like request
    }
    String authority = request.getHeaders().get(HttpHeader.HOST);
    try {
      URI o = URI.create(origin);
      if (authority == null || o.getRawAuthority() == null || !o.getRawAuthority().equalsIgnoreCase(authority)) {
        throw new HttpException(403, "writes from another origin are refused");
      }
    } catch (IllegalArgumentException e) {
      throw new HttpException(403, "writes from another origin are refused");
    }
  }

  /** Refuses a write body that is not JSON with 415. */
  static void requireJson(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    String base = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    // Only types a browser cannot send cross-site without a preflight: a form or text/plain post from
    // another page never reaches a write route.
    if (!base.equals("application/json") && !base.equals("application/x-ndjson") && !base.equals("application/jsonl")) {
      throw new HttpException(415, "send the body as Content-Type: application/json (application/x-ndjson for batches)");
    }
  }
}
