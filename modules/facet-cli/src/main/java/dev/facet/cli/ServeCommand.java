package dev.facet.cli;

import dev.facet.cli.web.AccessTokens;
import dev.facet.cli.web.EngineBootstrap;
import dev.facet.cli.web.EngineState;
import dev.facet.cli.web.FacetServer;
import dev.facet.cli.web.ServeSecurity;
import dev.facet.cli.web.ServeEndpoint;
import dev.facet.engine.Facet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code facet serve}: the merchant page and JSON API over a work directory. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Serve the merchant web page and the JSON API. A work directory without an index is ingested "
        + "(and trained) first from --catalog, or from the sample catalog; /api/health reports progress meanwhile.")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--port", description = "TCP port. Default: ${DEFAULT-VALUE}", defaultValue = "8080")
  int port;

  @Option(names = "--host", description = "Address to listen on (0.0.0.0 for all interfaces). Default: ${DEFAULT-VALUE}",
      defaultValue = "127.0.0.1")
  String host;

  @Option(names = "--catalog", description = "Catalog to ingest before serving (unchanged listings are skipped). "
      + "Default: the one last ingested into --work, else <facet home>/catalog-samples for an empty work directory.")
  Path catalog;

  @Option(names = "--tokens", paramLabel = "FILE", description = "Bearer tokens, one a line: 'read TOKEN' (search, "
      + "similar, recommend) or 'write TOKEN' (also events and DELETE /api/users/{id}). Required on a non-loopback --host; "
      + "without it a loopback server trusts every local caller.")
  Path tokens;

  @Mixin
  CommonOptions common;

  @Override
  public Integer call() throws InterruptedException {
    AccessTokens access;
    try {
      access = tokens == null ? AccessTokens.none() : AccessTokens.read(tokens);
      ServeSecurity.requireSafeBind(host, access); // before the engine opens: refuse in a second, not after loading
    } catch (IllegalArgumentException e) {
      System.err.println("facet serve: " + e.getMessage());
      return 2;
    }
    EngineState state = new EngineState();
    Facet facet = common.open(catalog);
    // Listen first: a fresh work directory needs minutes of ingest and training, and health checks
    // should see "starting" with progress rather than a refused connection.
    FacetServer server = FacetServer.start(host, port, state, access);
    ServeEndpoint.publish(common.work, host, server.port());
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      ServeEndpoint.remove(common.work);
      server.close();
      facet.close();
    }, "facet-serve-shutdown"));
    System.out.println("facet: serving on http://" + host + ":" + server.port() + "/ (work dir " + common.work + ")");
    Thread startup = new Thread(() -> {
      EngineBootstrap.run(facet, catalog, CommonOptions.facetHome().resolve("catalog-samples"), state);
      if (state.status() == EngineState.Status.OK) {
        System.out.println("facet: engine ready");
      } else {
        System.err.println("facet serve: start-up failed (the server keeps answering /api/health with the reason)");
      }
    }, "facet-startup");
    startup.setDaemon(true);
    startup.start();
    server.join();
    return 0;
  }
}
