package dev.facet.cli.web;

import dev.facet.core.RequestThreads;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.MinimumDataRateHandler;
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
    return start(host, port, state, AccessTokens.none());
  }

  /** Requests slower than this (bytes per second, after Jetty's grace) fail instead of holding a thread. */
  static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
  /** A connection silent this long is closed. */
  static final long IDLE_TIMEOUT_MS = 20_000;
  /** Open connections across all clients; more wait in the accept queue. */
  static final int MAX_CONNECTIONS = 512;
  /** Open connections one client address may hold. */
  static final int MAX_CONNECTIONS_PER_CLIENT = 64;

  /**
   * As {@link #start(String, int, EngineState)} with bearer tokens; a non-loopback {@code host}
   * without tokens is refused (see {@link ServeSecurity#requireSafeBind}).
   */
  public static FacetServer start(String host, int port, EngineState state, AccessTokens tokens) {
    ServeSecurity.requireSafeBind(host, tokens);
    QueuedThreadPool pool = requestThreads();
    Server server = new Server(pool);
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    connector.setIdleTimeout(IDLE_TIMEOUT_MS);
    connector.addEventListener(new ClientConnectionLimit(MAX_CONNECTIONS_PER_CLIENT));
    server.addConnector(connector);
    server.addBean(new NetworkConnectionLimit(MAX_CONNECTIONS, server));
    server.setHandler(new MinimumDataRateHandler(new FacetHandler(state, new RequestGuard(tokens, host)),
        MIN_REQUEST_BYTES_PER_SECOND, 0));
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

  /** Jetty's worker threads, named facet-http-*, each marked as a request thread (time slice, and calls ahead of live updates). */
  static QueuedThreadPool requestThreads() {
    QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 4) {
      @Override
      public Thread newThread(Runnable runnable) {
        return super.newThread(() -> {
          RequestThreads.markCurrent();
          runnable.run();
        });
      }
    };
    pool.setName("facet-http");
    return pool;
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
