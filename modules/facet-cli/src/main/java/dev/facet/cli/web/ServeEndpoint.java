package dev.facet.cli.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * The file {@code <work>/serve.json} through which other commands find the engine serving a work
 * directory: it names the serving process and the port it listens on. Written once the server
 * listens, removed on a clean shutdown; a file left by a killed server names a dead process and is
 * ignored.
 */
public final class ServeEndpoint {
  static final String FILE = "serve.json";

  /** A serving engine: the address to reach it on and its process id. */
  public record Info(String host, int port, long pid) {
    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String baseUrl() {
      String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
      return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port;
    }
  }

  private ServeEndpoint() {}

  /** Writes the file atomically. */
  public static void publish(Path work, String host, int port) {
    try {
      Files.createDirectories(work);
      Path tmp = work.resolve(FILE + ".tmp");
      Files.writeString(tmp, Views.JSON.createObjectNode().put("host", host).put("port", port)
          .put("pid", ProcessHandle.current().pid()).toString());
      Files.move(tmp, work.resolve(FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + work.resolve(FILE) + ": " + e.getMessage(), e);
    }
  }

  /** Removes the file if it names this process. */
  public static void remove(Path work) {
    find(work).filter(i -> i.pid() == ProcessHandle.current().pid()).ifPresent(i -> {
      try {
        Files.deleteIfExists(work.resolve(FILE));
      } catch (IOException e) {
        // a stale file names a dead process and is ignored by find()
      }
    });
  }

  /** The engine serving {@code work}, if a live process says it does. */
  public static Optional<Info> find(Path work) {
    Path file = work.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode node = Views.JSON.readTree(Files.readString(file));
      Info info = new Info(node.path("host").asText("127.0.0.1"), node.path("port").asInt(), node.path("pid").asLong());
      boolean alive = ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false);
      return alive && info.port() > 0 ? Optional.of(info) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
