package dev.facet.cli.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Forty clients that announce an event body and then send it one byte a second (the attack that used
 * to take all 32 workers): {@code /api/health} must answer promptly the whole time, and the slow
 * clients must be refused or cut off rather than kept for as long as they care to dribble.
 */
class SlowClientTest {
  private static final int SLOW_CLIENTS = 40;

  @Test
  void healthAnswersWhileFortyClientsDribbleTheirBodies() throws Exception {
    try (FacetServer server = FacetServer.start("127.0.0.1", 0, new EngineState())) {
      Http http = new Http(java.net.URI.create("http://127.0.0.1:" + server.port()));
      ExecutorService pool = Executors.newFixedThreadPool(SLOW_CLIENTS);
      List<Future<String>> outcomes = new ArrayList<>();
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(14);
      for (int i = 0; i < SLOW_CLIENTS; i++) {
        outcomes.add(pool.submit(() -> dribble(server.port(), until)));
      }
      Thread.sleep(1_500); // every slow client is connected and has sent its headers
      long worstMillis = 0;
      while (System.nanoTime() < until) {
        long start = System.nanoTime();
        assertThat(http.get("/api/health").status()).isEqualTo(200);
        worstMillis = Math.max(worstMillis, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        Thread.sleep(500);
      }
      int refused = 0;
      int cut = 0;
      for (Future<String> f : outcomes) {
        String outcome = f.get(30, TimeUnit.SECONDS);
        refused += outcome.equals("429") ? 1 : 0;
        cut += outcome.equals("408") || outcome.equals("400") || outcome.equals("closed") ? 1 : 0;
      }
      pool.shutdownNow();
      assertThat(worstMillis).as("slowest health answer, ms").isLessThan(2_000);
      assertThat(refused).as("clients over the per-client share refused at once").isGreaterThanOrEqualTo(
          SLOW_CLIENTS - FacetHandler.MAX_REQUESTS_PER_CLIENT);
      assertThat(refused + cut).as("no slow client kept its request open to the end").isEqualTo(SLOW_CLIENTS);
    }
  }

  @Test
  void oneAddressCannotHoldMoreThanItsShareOfConnections() throws Exception {
    int extra = 6;
    try (FacetServer server = FacetServer.start("127.0.0.1", 0, new EngineState())) {
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < FacetServer.MAX_CONNECTIONS_PER_CLIENT + extra; i++) {
          Socket s = new Socket("127.0.0.1", server.port());
          s.getOutputStream().write("GET /api/he".getBytes(StandardCharsets.US_ASCII)); // headers never finish
          sockets.add(s);
        }
        int closed = 0;
        for (Socket s : sockets) {
          s.setSoTimeout(200);
          try {
            closed += s.getInputStream().read() < 0 ? 1 : 0;
          } catch (java.net.SocketTimeoutException e) {
            // still open, as it may be
          } catch (IOException e) {
            closed++;
          }
        }
        assertThat(closed).isEqualTo(extra);
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      // Once the server has seen the closes, the address has its share back.
      Http http = new Http(java.net.URI.create("http://127.0.0.1:" + server.port()));
      int status = 0;
      for (int attempt = 0; attempt < 20 && status != 200; attempt++) {
        Thread.sleep(500);
        try {
          status = http.get("/api/health").status();
        } catch (java.io.UncheckedIOException e) {
          status = -1; // closed at once: the old connections are not all seen closed yet
        }
      }
      assertThat(status).isEqualTo(200);
    }
  }

  /** Sends headers announcing 4,000 bytes, then one byte a second; returns the status, or "closed". */
  private static String dribble(int port, long untilNanos) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(1_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /api/events HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
          + "Content-Length: 4000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      while (System.nanoTime() < untilNanos) {
        try {
          byte[] head = in.readNBytes(12);
          return head.length < 12 ? "closed" : new String(head, 9, 3, StandardCharsets.US_ASCII);
        } catch (java.net.SocketTimeoutException e) {
          out.write(' ');
          out.flush();
        }
      }
      return "still open";
    } catch (IOException e) {
      return "closed";
    }
  }
}
