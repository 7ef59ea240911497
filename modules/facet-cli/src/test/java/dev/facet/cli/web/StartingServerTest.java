package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The server before the engine is ready: it listens, reports progress and refuses API calls with 503. */
class StartingServerTest {
  private static EngineState state;
  private static FacetServer server;
  private static Http http;

  @BeforeAll
  static void start() {
    state = new EngineState();
    server = FacetServer.start("127.0.0.1", 0, state);
    http = new Http(URI.create("http://127.0.0.1:" + server.port()));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthSaysStartingWithThePhase() {
    state.phase("ingesting: 3/40 listings embedded");
    Http.Res res = http.get("/api/health");
    assertThat(res.status()).isEqualTo(200);
    assertThat(res.json().get("status").asText()).isEqualTo("starting");
    assertThat(res.json().get("phase").asText()).isEqualTo("ingesting: 3/40 listings embedded");
  }

  @Test
  void apiAnswers503UntilReady() {
    for (String path : new String[] {"/api/recommend?user=u-1", "/api/similar?item=R-00001", "/api/search?q=ring",
        "/api/items/R-00001", "/api/filters"}) {
      Http.Res res = http.get(path);
      assertThat(res.status()).as(path).isEqualTo(503);
      assertThat(res.json().get("error").asText()).as(path).contains("starting");
    }
    assertThat(http.post("/api/events", "application/json",
        "{\"user\":\"u-1\",\"item\":\"R-00001\",\"event\":\"view\"}".getBytes()).status()).isEqualTo(503);
    // Malformed requests are the client's error (4xx) even while the engine starts.
    assertThat(http.post("/api/events", "application/json", "{}".getBytes()).status()).isEqualTo(400);
    assertThat(http.get("/api/recommend?user=u-1&k=-5").status()).isEqualTo(400);
    assertThat(http.get("/images/images/R-00001.jpg").status()).isEqualTo(503);
    // Traversal is refused as such even before a catalog is served.
    assertThat(http.raw("/images/../pom.xml").status()).isEqualTo(400);
  }

  @Test
  void pageIsServedWhileStarting() {
    Http.Res page = http.get("/");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.text()).contains("<script src=\"/static/app.js\">");
    assertThat(http.get("/static/app.js").contentType()).startsWith("text/javascript");
    assertThat(http.get("/static/app.css").status()).isEqualTo(200);
  }

  @Test
  void failedStartIsReportedBy503Health() {
    EngineState failing = new EngineState();
    try (FacetServer other = FacetServer.start("127.0.0.1", 0, failing)) {
      Http client = new Http(URI.create("http://127.0.0.1:" + other.port()));
      failing.failed("models/image-resnet-catalog.json is missing");
      Http.Res res = client.get("/api/health");
      assertThat(res.status()).isEqualTo(503);
      assertThat(res.json().get("status").asText()).isEqualTo("failed");
      assertThat(res.json().get("error").asText()).contains("image-resnet-catalog.json");
      assertThat(client.get("/api/recommend?user=u").json().get("error").asText()).contains("failed");
    }
  }
}
