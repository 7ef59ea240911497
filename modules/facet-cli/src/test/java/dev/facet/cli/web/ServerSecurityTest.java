package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tokens, Host, Origin and content-type rules, checked on a server whose engine is still starting:
 * every refusal here must come before the engine is reached, and a request that passes them all gets
 * the engine's 503 (or its 400 for a malformed body).
 */
class ServerSecurityTest {
  private static final String READ = "r-9f2c41";
  private static final String WRITE = "w-77ab03";
  private static final String EVENT = "{\"user\":\"u-1\",\"item\":\"R-00001\",\"event\":\"view\"}";

  @TempDir
  static Path tmp;

  private static FacetServer server;

  @BeforeAll
  static void start() throws IOException {
    Path file = tmp.resolve("tokens");
    Files.writeString(file, "# shop tokens\nread " + READ + "\n\nwrite " + WRITE + "\n");
    server = FacetServer.start("127.0.0.1", 0, new EngineState(), AccessTokens.read(file));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void healthAndPageStayOpenEverythingElseNeedsAToken() {
    assertThat(send("GET", "/api/health", null, null).status).isEqualTo(200);
    assertThat(send("GET", "/", null, null).status).isEqualTo(200);
    Response none = send("GET", "/api/recommend?user=u-1", null, null);
    assertThat(none.status).isEqualTo(401);
    assertThat(none.head).containsIgnoringCase("WWW-Authenticate: Bearer");
    assertThat(send("GET", "/api/recommend?user=u-1", "Bearer nope-nope", null).status).isEqualTo(401);
    assertThat(send("GET", "/api/recommend?user=u-1", "Basic " + READ, null).status).isEqualTo(401);
    assertThat(send("GET", "/api/recommend?user=u-1", "Bearer " + READ, null).status).isEqualTo(503);
    assertThat(send("GET", "/api/search?q=ring", "Bearer " + WRITE, null).status).isEqualTo(503);
  }

  @Test
  void writesNeedAWriteToken() {
    assertThat(post("Bearer " + READ, "application/json", null).status).isEqualTo(403);
    assertThat(post(null, "application/json", null).status).isEqualTo(401);
    assertThat(post("Bearer " + WRITE, "application/json", null).status).isEqualTo(503);
    assertThat(send("DELETE", "/api/users/u-1", "Bearer " + READ, null).status).isEqualTo(403);
    assertThat(send("DELETE", "/api/users/u-1", null, null).status).isEqualTo(401);
    assertThat(send("DELETE", "/api/users/u-1", "Bearer " + WRITE, null).status).isEqualTo(503);
  }

  @Test
  void writeBodiesMustBeJson() {
    assertThat(post("Bearer " + WRITE, "text/plain", null).status).isEqualTo(415);
    assertThat(post("Bearer " + WRITE, "application/x-www-form-urlencoded", null).status).isEqualTo(415);
    assertThat(post("Bearer " + WRITE, null, null).status).isEqualTo(415);
    assertThat(post("Bearer " + WRITE, "application/json; charset=utf-8", null).status).isEqualTo(503);
  }

  @Test
  void foreignOriginsCannotWrite() {
    assertThat(post("Bearer " + WRITE, "application/json", "Origin: http://evil.example").status).isEqualTo(403);
    assertThat(post("Bearer " + WRITE, "application/json", "Sec-Fetch-Site: cross-site").status).isEqualTo(403);
    String own = "Origin: http://127.0.0.1:" + server.port();
    assertThat(post("Bearer " + WRITE, "application/json", own).status).isEqualTo(503);
  }

  @Test
  void onlyTheBoundHostNameIsServed() {
    assertThat(send("GET", "/api/health", null, "Host: rebound.evil.example").status).isEqualTo(421);
    assertThat(send("GET", "/", null, "Host: rebound.evil.example:" + server.port()).status).isEqualTo(421);
    assertThat(send("GET", "/api/health", null, "Host: localhost:" + server.port()).status).isEqualTo(200);
  }

  @Test
  void nonLoopbackWithoutTokensIsRefused() {
    assertThatThrownBy(() -> ServeSecurity.requireSafeBind("0.0.0.0", AccessTokens.none()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--tokens");
    ServeSecurity.requireSafeBind("127.0.0.1", AccessTokens.none());
    ServeSecurity.requireSafeBind("localhost", AccessTokens.none());
  }

  @Test
  void malformedTokenFilesNameTheLineNotTheToken() throws IOException {
    Path bad = tmp.resolve("bad-tokens");
    Files.writeString(bad, "read r-9f2c41\nadmin s3cr3t-token\n");
    assertThatThrownBy(() -> AccessTokens.read(bad)).hasMessageContaining(":2:").hasMessageNotContaining("s3cr3t");
    Files.writeString(bad, "write abc\n");
    assertThatThrownBy(() -> AccessTokens.read(bad)).hasMessageContaining("at least");
  }

  record Response(int status, String head) {}

  private static Response post(String auth, String type, String extra) {
    return send("POST", "/api/events", auth, (type == null ? "" : "Content-Type: " + type + "\r\n")
        + (extra == null ? "" : extra + "\r\n") + "Content-Length: " + EVENT.length() + "\r\n\r\n" + EVENT);
  }

  /** One raw request, so Host and Origin are sent exactly as given (client libraries restrict them). */
  static Response send(String method, String path, String auth, String extra) {
    String host = extra != null && extra.startsWith("Host:") ? "" : "Host: 127.0.0.1:" + server.port() + "\r\n";
    String tail = extra == null ? "\r\n" : extra.contains("\r\n\r\n") ? extra : extra + "\r\n\r\n";
    String request = method + " " + path + " HTTP/1.1\r\n" + host + (auth == null ? "" : "Authorization: " + auth + "\r\n")
        + "Connection: close\r\n" + tail;
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      int split = text.indexOf("\r\n\r\n");
      return new Response(Integer.parseInt(text.substring(9, 12)), split < 0 ? text : text.substring(0, split));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
