package dev.facet.cli.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/**
 * The merchant page's files, read from the classpath once at start-up. Only the names listed here
 * are served, so no request path ever reaches a class-loader lookup.
 */
final class StaticResources {
  private static final String BASE = "/dev/facet/cli/web/static/";
  private static final Map<String, String> FILES = Map.of(
      "/", "index.html",
      "/index.html", "index.html",
      "/static/app.js", "app.js",
      "/static/app.css", "app.css",
      "/favicon.ico", "favicon.svg",
      "/static/favicon.svg", "favicon.svg");

  private final Map<String, Reply> replies;

  StaticResources() {
    java.util.HashMap<String, Reply> out = new java.util.HashMap<>();
    for (Map.Entry<String, String> e : FILES.entrySet()) {
      out.put(e.getKey(), new Reply(200, contentType(e.getValue()), load(e.getValue()), "no-cache"));
    }
    replies = Map.copyOf(out);
  }

  Optional<Reply> get(String path) {
    return Optional.ofNullable(replies.get(path));
  }

  private static byte[] load(String name) {
    try (InputStream in = StaticResources.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing page resource " + BASE + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String contentType(String name) {
    if (name.endsWith(".html")) {
      return "text/html; charset=utf-8";
    }
    if (name.endsWith(".js")) {
      return "text/javascript; charset=utf-8";
    }
    if (name.endsWith(".css")) {
      return "text/css; charset=utf-8";
    }
    return "image/svg+xml";
  }
}
