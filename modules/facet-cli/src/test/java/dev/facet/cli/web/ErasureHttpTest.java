package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code DELETE /api/users/{id}} on the serving engine, and the API's event timestamp range. The
 * erased shopper is one this test creates through live events, so the shared fixture's catalog
 * users stay as the other web tests expect them.
 */
class ErasureHttpTest {
  private static WebFixture fx;
  private static Http http;

  @BeforeAll
  static void start() {
    fx = WebFixture.shared();
    http = new Http(fx.base);
  }

  @Test
  void deleteErasesALiveShopperFromTheWorkDirectoryAndFromRecommendations() throws IOException {
    String user = "u-erase-" + System.nanoTime();
    String item = fx.listings.get(3).id();
    assertThat(event(user, item, "click", "\"2026-11-02T10:00:00Z\"").status()).isEqualTo(202);
    assertThat(http.get("/api/recommend?user=" + user).text()).contains("you clicked");
    Path work = fx.facet.config().workDir();
    assertThat(filesHolding(work, user)).isNotEmpty();

    Http.Res res = http.method("DELETE", "/api/users/" + user);

    assertThat(res.status()).as(res.text()).isEqualTo(200);
    assertThat(res.json().get("status").asText()).isEqualTo("erased");
    assertThat(filesHolding(work, user)).isEmpty();
    assertThat(http.get("/api/recommend?user=" + user).text()).doesNotContain("you clicked");
    // the id stays erased: a new event for it is not kept
    assertThat(event(user, item, "purchase", "\"2026-11-03T10:00:00Z\"").status()).isEqualTo(202);
    assertThat(filesHolding(work, user)).isEmpty();
  }

  @Test
  void eventTimesOutsideTheReadersRangeAreRefused() {
    String item = fx.listings.get(4).id();
    assertThat(event("u-ts", item, "view", "\"1970-01-01T00:00:00Z\"").status()).isEqualTo(400);
    assertThat(event("u-ts", item, "view", "8639977881600000").status()).isEqualTo(400);
    assertThat(event("u-ts", item, "view", "\"2099-12-31T23:59:59Z\"").status()).isEqualTo(202);
  }

  private static Http.Res event(String user, String item, String type, String ts) {
    String body = "{\"user\":\"" + user + "\",\"item\":\"" + item + "\",\"event\":\"" + type + "\",\"ts\":" + ts + "}";
    return http.post("/api/events", "application/json", body.getBytes(StandardCharsets.UTF_8));
  }

  private static List<Path> filesHolding(Path dir, String id) throws IOException {
    byte[] needle = id.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> {
        try {
          return new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)
              .contains(new String(needle, StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
  }
}
