package io.kvs.client;

import io.kvs.http.KvsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** In-process nodes on free loopback ports, in one view, closed together. */
final class Nodes implements AutoCloseable {
  final List<String> addresses = new ArrayList<>();
  final List<KvsServer> servers = new ArrayList<>();

  Nodes(int size, Integer shards) {
    for (int i = 0; i < size; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    try {
      for (String address : addresses) {
        servers.add(KvsServer.builder().address(address).view(addresses).shardCount(shards).start());
      }
      for (KvsServer server : servers) {
        if (!server.awaitReady(Duration.ofSeconds(15))) {
          throw new IllegalStateException(server.address() + " did not become ready");
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** A client seeded with the first node only, refreshing every 500 ms. */
  KvsClient client() {
    return KvsClient.builder().seeds(addresses.get(0)).refreshInterval(Duration.ofMillis(500))
        .totalDeadline(Duration.ofSeconds(10)).build();
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    servers.forEach(KvsServer::close);
  }
}
