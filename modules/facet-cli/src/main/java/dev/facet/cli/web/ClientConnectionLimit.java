package dev.facet.cli.web;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;

/**
 * Open connections per client address. Connections cost no worker thread until a request's headers
 * are complete, but a client that sends its headers a byte at a time can hold one for hours; past
 * its share a new connection from the same address is closed at once, so one address cannot use up
 * the server-wide connection cap.
 */
final class ClientConnectionLimit implements Connection.Listener {
  private final int perClient;
  private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
  /** The address each connection was counted under: a closed socket no longer reports its peer. */
  private final ConcurrentHashMap<Connection, String> counted = new ConcurrentHashMap<>();

  ClientConnectionLimit(int perClient) {
    this.perClient = perClient;
  }

  @Override
  public void onOpened(Connection connection) {
    String client = address(connection.getEndPoint().getRemoteSocketAddress());
    counted.put(connection, client);
    boolean[] over = new boolean[1];
    open.compute(client, (c, n) -> {
      int now = (n == null ? 0 : n) + 1;
      over[0] = now > perClient;
      return now;
    });
    if (over[0]) {
      connection.getEndPoint().close(); // onClosed gives the slot back
    }
  }

  @Override
  public void onClosed(Connection connection) {
    String client = counted.remove(connection);
    if (client == null) {
      return;
    }
    open.computeIfPresent(client, (c, n) -> n <= 1 ? null : n - 1);
  }

  private static String address(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress() : String.valueOf(remote);
  }
}
