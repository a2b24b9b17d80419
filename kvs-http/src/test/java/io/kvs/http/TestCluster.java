package io.kvs.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/** A few {@link KvsServer}s on free loopback ports, started together and closed together. */
final class TestCluster implements AutoCloseable {
  final List<String> addresses = new ArrayList<>();
  final List<KvsServer> servers = new ArrayList<>();

  /** Starts {@code size} nodes (all in one view), each configured further by {@code config}. */
  TestCluster(int size, Integer shards, UnaryOperator<KvsServerBuilder> config) {
    for (int i = 0; i < size; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    try {
      for (String address : addresses) {
        servers.add(config.apply(KvsServer.builder().address(address).view(addresses).shardCount(shards)).start());
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

  /** {@code http://<address of node i><path>}. */
  String url(int node, String path) {
    return "http://" + addresses.get(node) + path;
  }

  /** {@code https://<address of node i><path>}, for nodes with TLS. */
  String httpsUrl(int node, String path) {
    return "https://" + addresses.get(node) + path;
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
