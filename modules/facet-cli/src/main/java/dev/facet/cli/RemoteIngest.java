package dev.facet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.facet.cli.web.ServeEndpoint;
import dev.facet.engine.CatalogIngestor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code facet ingest} against a work directory that an engine serves: the serving process holds
 * the index, so the job is handed to it ({@code POST /api/ingest}) and its progress polled until the
 * same report an offline ingest prints.
 */
final class RemoteIngest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long POLL_MILLIS = 250;
  /** Environment variable holding the bearer token sent to a server started with {@code --tokens}. */
  static final String TOKEN_VARIABLE = "FACET_TOKEN";

  private final ServeEndpoint.Info server;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  RemoteIngest(ServeEndpoint.Info server) {
    this.server = server;
  }

  /** Runs the ingest in the server; returns the exit code {@code facet ingest} uses. */
  int run(Path catalog, CatalogIngestor.DeletePolicy deletes) throws IOException, InterruptedException {
    System.out.println("facet ingest: an engine serves this work directory (pid " + server.pid() + ", " + server.baseUrl()
        + "); handing the ingest to it");
    String body = JSON.createObjectNode().put("catalog", catalog.toAbsolutePath().normalize().toString())
        .put("delete_missing", deletes.enabled()).put("max_delete_share", deletes.maxShare()).toString();
    JsonNode job = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/ingest"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 202);
    String id = job.path("id").asText();
    try (ConsoleProgress progress = new ConsoleProgress("embed")) {
      boolean started = false;
      while (true) {
        job = send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/ingest/" + id)).GET(), 200);
        long total = job.path("total").asLong(-1);
        if (!started && total >= 0) {
          progress.start(total);
          started = true;
        }
        progress.advanceTo(job.path("done").asLong());
        String state = job.path("state").asText();
        if (state.equals("done") || state.equals("failed")) {
          break;
        }
        Thread.sleep(POLL_MILLIS);
      }
    }
    if (job.path("state").asText().equals("failed")) {
      System.err.println("facet ingest: the serving engine's ingest failed: " + job.path("error").asText());
      return 1;
    }
    System.out.println(job.path("summary").asText());
    if (job.path("index_size").asLong() == 0) {
      return 2;
    }
    return job.path("delete_refused").asBoolean() ? 3 : 0;
  }

  private JsonNode send(HttpRequest.Builder request, int expected) throws IOException, InterruptedException {
    // A server started with --tokens needs a write token; it comes from the environment, never argv,
    // so it stays out of process listings.
    String token = System.getenv(TOKEN_VARIABLE);
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token.strip());
    }
    HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
    JsonNode node;
    try {
      node = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IOException("the serving engine answered " + response.statusCode() + " with a non-JSON body");
    }
    if (response.statusCode() == 401 || response.statusCode() == 403) {
      throw new IOException("the serving engine needs a write token for an ingest: set " + TOKEN_VARIABLE
          + " to one of the write tokens of its --tokens file (" + response.statusCode() + ")");
    }
    if (response.statusCode() != expected) {
      throw new IOException("the serving engine refused the ingest (" + response.statusCode() + "): "
          + node.path("error").asText(response.body()));
    }
    return node;
  }
}
