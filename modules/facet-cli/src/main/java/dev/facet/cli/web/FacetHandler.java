package dev.facet.cli.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request: the page, catalog images and the JSON API. Runs on Jetty's worker threads
 * and may block (engine calls, body reads). Every outcome is written in one piece at the end, so a
 * failure anywhere becomes a JSON error instead of a half-written response; unexpected exceptions
 * are logged with their stack trace and answered with a generic 500.
 */
final class FacetHandler extends Handler.Abstract {
  private static final Logger LOG = LoggerFactory.getLogger(FacetHandler.class);
  private static final String IMAGES = "/images/";
  private static final String ITEMS = "/api/items/";
  private static final String USERS = "/api/users/";
  private static final String HEALTH = "/api/health";
  /** Requests one client address may have running at once (health checks are not counted). */
  static final int MAX_REQUESTS_PER_CLIENT = 8;

  private final EngineState state;
  private final Api api;
  private final LiveApi live;
  private final StaticResources page = new StaticResources();
  private final RequestGuard guard;
  private final ClientLimits clients = new ClientLimits(MAX_REQUESTS_PER_CLIENT);

  FacetHandler(EngineState state, RequestGuard guard) {
    this.state = state;
    this.api = new Api(state);
    this.guard = guard;
    this.live = new LiveApi(state);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    Reply reply;
    String client = HEALTH.equals(request.getHttpURI().getPath()) ? null : Request.getRemoteAddr(request);
    if (client != null && !clients.tryAcquire(client)) {
      write(Reply.error(429, "too many requests from this address at once; retry shortly"), response, callback);
      return true;
    }
    try {
      reply = route(request);
    } catch (HttpException e) {
      reply = Reply.error(e.status(), e.getMessage());
    } catch (RuntimeException | Error e) {
      // A user id in the path is personal data: it stays out of the error log.
      String path = request.getHttpURI().getPath();
      LOG.error("{} {} failed", request.getMethod(), path != null && path.startsWith(USERS) ? USERS + "{id}" : path, e);
      reply = Reply.error(500, "internal error");
    } finally {
      if (client != null) {
        clients.release(client);
      }
    }
    write(reply, response, callback);
    return true;
  }

  private Reply route(Request request) {
    // The raw path decides image requests, so encoded traversal reaches the guard instead of being
    // decoded (and possibly canonicalised away) first.
    String raw = request.getHttpURI().getPath();
    String method = request.getMethod();
    if (raw != null && raw.startsWith(IMAGES)) {
      guard.check(request, RequestGuard.Need.OPEN); // listing photos; an <img> cannot send a token
      requireMethod(method, "GET", "HEAD");
      return image(raw.substring(IMAGES.length()));
    }
    String path = Request.getPathInContext(request);
    Optional<Reply> staticFile = page.get(path);
    if (staticFile.isPresent()) {
      guard.check(request, RequestGuard.Need.OPEN);
      requireMethod(method, "GET", "HEAD");
      return staticFile.get();
    }
    if (path.equals(HEALTH)) {
      guard.check(request, RequestGuard.Need.OPEN);
      requireMethod(method, "GET", "HEAD");
      return api.health();
    }
    boolean write = path.startsWith("/api/events") || path.startsWith(USERS) || path.startsWith("/api/listings")
        || path.startsWith("/api/ingest");
    guard.check(request, write ? RequestGuard.Need.WRITE : RequestGuard.Need.READ);
    if (write && method.equals("POST")) {
      RequestGuard.requireJson(request);
    }
    return routeApi(request, method, path);
  }

  private Reply routeApi(Request request, String method, String path) {
    switch (path) {
      case "/api/recommend" -> {
        requireMethod(method, "GET");
        return api.recommend(request);
      }
      case "/api/similar" -> {
        requireMethod(method, "GET", "POST");
        return method.equals("POST") ? api.similarByPhoto(request) : api.similarByItem(request);
      }
      case "/api/search" -> {
        requireMethod(method, "GET");
        return api.search(request);
      }
      case "/api/events" -> {
        requireMethod(method, "POST");
        RequestGuard.requireJson(request);
        return api.event(request);
      }
      case "/api/ingest" -> {
        requireMethod(method, "POST");
        return live.submitIngest(request);
      }
      case "/api/listings" -> {
        requireMethod(method, "POST");
        return live.upsertListings(request);
      }
      case "/api/listings/delete" -> {
        requireMethod(method, "POST");
        return live.deleteListings(request);
      }
      case "/api/events/batch" -> {
        requireMethod(method, "POST");
        return live.events(request);
      }
      case "/api/filters" -> {
        requireMethod(method, "GET");
        return api.filters();
      }
      default -> {
        if (path.startsWith(LiveApi.JOBS)) {
          requireMethod(method, "GET");
          return live.job(path.substring(LiveApi.JOBS.length()));
        }
        if (path.startsWith(ITEMS)) {
          requireMethod(method, "GET");
          return api.item(path.substring(ITEMS.length()));
        }
        if (path.startsWith(USERS)) {
          requireMethod(method, "DELETE");
          return ErasureApi.forget(state, path.substring(USERS.length()));
        }
        throw HttpException.notFound("no such resource: " + path);
      }
    }
  }

  private Reply image(String rawRelative) {
    String relative = ImagePaths.decode(rawRelative);
    Path root = state.catalogDir().orElseThrow(() -> new HttpException(503, "no catalog to serve images from yet"));
    Path file = ImagePaths.locate(root, relative);
    try {
      return new Reply(200, ImagePaths.contentType(file), Files.readAllBytes(file), "public, max-age=3600");
    } catch (IOException e) {
      throw HttpException.notFound("no such image");
    }
  }

  private static void requireMethod(String method, String... allowed) {
    for (String m : allowed) {
      if (m.equals(method)) {
        return;
      }
    }
    throw new HttpException(405, "method " + method + " not allowed here");
  }

  private static void write(Reply reply, Response response, Callback callback) {
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, reply.cacheControl());
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    if (reply.status() == 401) {
      response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"facet\"");
    }
    if (reply.contentType().startsWith("text/html")) {
      // The page loads nothing from elsewhere; blob: is the preview of the photo being uploaded.
      response.getHeaders().put("Content-Security-Policy",
          "default-src 'self'; img-src 'self' blob: data:; object-src 'none'; frame-ancestors 'none'");
    }
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }
}
