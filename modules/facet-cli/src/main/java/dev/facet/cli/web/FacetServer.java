package dev.facet.cli.web;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Facet's HTTP server: the merchant page, catalog images and the JSON API on embedded Jetty 12
 * (core handlers, no servlet container). Requests run concurrently on a bounded thread pool.
 */
public final class FacetServer implements AutoCloseable {
  /** Worker threads: engine calls are CPU-bound, so more threads than this only add queueing in the JVM. */
  static final int MAX_THREADS = 32;

  private final Server server;
  private final ServerConnector connector;

  private FacetServer(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts listening on {@code host:port} ({@code port} 0 picks a free port). Requests are served at
   * once; API calls answer 503 until {@code state} becomes ready.
   */
  public static FacetServer start(String host, int port, EngineState state) {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4);
    pool.setName("facet-http");
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    server.addConnector(connector);
    server.setHandler(new FacetHandler(state));
    server.setErrorHandler(new JsonErrorHandler());
    server.setStopTimeout(5_000);
    try {
      server.start();
    } catch (Exception e) {
      try {
        server.stop();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return new FacetServer(server, connector);
  }

  /** The port actually bound. */
  public int port() {
    return connector.getLocalPort();
  }

  /** Blocks until the server stops. */
  public void join() throws InterruptedException {
    server.join();
  }

  /** Stops accepting requests and lets running ones finish (up to five seconds). */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the HTTP server", e);
    }
  }
}
