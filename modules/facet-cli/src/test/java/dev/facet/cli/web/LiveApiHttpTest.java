package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live-catalog endpoints over HTTP against the shared server, without changing what other web
 * tests see: re-sent listings are unchanged, the handed-over ingest is of the served catalog itself.
 */
class LiveApiHttpTest {
  private static WebFixture fx;
  private static Http http;

  @BeforeAll
  static void start() {
    fx = WebFixture.shared();
    http = new Http(fx.base);
  }

  @Test
  void aListingsBatchIsValidatedLikeAnIngestAndUnchangedListingsAreSkipped() throws Exception {
    List<String> lines = Files.readAllLines(fx.catalog.resolve("listings.jsonl"), StandardCharsets.UTF_8).subList(0, 3);
    String body = String.join("\n", lines) + "\n{\"id\":\"BAD-1\",\"title\":\"no price\",\"category\":\"ring\"}\n";
    Http.Res res = http.post("/api/listings", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));
    assertThat(res.status()).isEqualTo(200);
    JsonNode r = res.json();
    assertThat(r.get("read").asInt()).isEqualTo(3);
    assertThat(r.get("unchanged").asInt()).isEqualTo(3);
    assertThat(r.get("rejected").asInt()).isEqualTo(1);
    assertThat(r.get("index_size").asInt()).isEqualTo(WebFixture.LISTINGS);
    assertThat(r.get("rejects").get(0).toString()).contains("BAD-1");
  }

  @Test
  void anOversizedBatchIsRefusedWith413() {
    byte[] body = new byte[LiveApi.MAX_BATCH_BYTES + 1];
    assertThat(http.post("/api/listings", "application/x-ndjson", body).status()).isEqualTo(413);
  }

  @Test
  void eventBatchesRecordValidLinesAndListTheRejectedOnes() {
    String item = fx.listings.get(0).id();
    String body = "{\"user\":\"u-live-batch\",\"item\":\"" + item + "\",\"event\":\"view\",\"ts\":\"2026-01-01T00:00:00Z\"}\n"
        + "{\"user\":\"u-live-batch\",\"item\":\"NO-SUCH\",\"event\":\"view\",\"ts\":\"2026-01-01T00:00:01Z\"}\n"
        + "{not json\n";
    Http.Res res = http.post("/api/events/batch", "application/x-ndjson", body.getBytes(StandardCharsets.UTF_8));
    assertThat(res.status()).isEqualTo(202);
    assertThat(res.json().get("recorded").asInt()).isEqualTo(1);
    assertThat(res.json().get("rejected").asInt()).isEqualTo(2);
    assertThat(res.json().get("errors").toString()).contains("unknown listing 'NO-SUCH'");
  }

  @Test
  void anIngestHandedToTheServerReportsLikeAnOfflineOne() throws Exception {
    String body = "{\"catalog\":\"" + fx.catalog.toAbsolutePath() + "\"}";
    Http.Res submitted = http.post("/api/ingest", "application/json", body.getBytes(StandardCharsets.UTF_8));
    assertThat(submitted.status()).isEqualTo(202);
    String id = submitted.json().get("id").asText();
    JsonNode job = submitted.json();
    for (int i = 0; i < 600 && !job.get("state").asText().matches("done|failed"); i++) {
      Thread.sleep(100);
      job = http.get("/api/ingest/" + id).json();
    }
    assertThat(job.get("state").asText()).isEqualTo("done");
    assertThat(job.get("summary").asText()).contains("index holds " + WebFixture.LISTINGS);
    assertThat(http.get("/api/ingest/999999").status()).isEqualTo(404);
    assertThat(http.post("/api/ingest", "application/json", "{\"catalog\":\"relative\"}".getBytes(StandardCharsets.UTF_8))
        .status()).isEqualTo(400);
  }

  @Test
  void theEndpointFileNamesALiveServerOnly(@TempDir Path work) throws Exception {
    ServeEndpoint.publish(work, "0.0.0.0", 8123);
    assertThat(ServeEndpoint.find(work)).hasValueSatisfying(i -> {
      assertThat(i.port()).isEqualTo(8123);
      assertThat(i.baseUrl()).isEqualTo("http://127.0.0.1:8123");
    });
    Files.writeString(work.resolve(ServeEndpoint.FILE), "{\"host\":\"127.0.0.1\",\"port\":8123,\"pid\":999999999}");
    assertThat(ServeEndpoint.find(work)).as("a file left by a killed server").isEmpty();
  }
}
