package io.kvs.http.bench;

import io.kvs.core.NodeSettings;
import io.kvs.http.KvsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A kvs cluster in this JVM, like {@code --local}: nodes on free 127.0.0.1 ports, one view,
 * real HTTP between them. Settings come from {@code KVS_*} variables, else the defaults.
 */
final class BenchCluster implements AutoCloseable {
  final List<String> addresses = new ArrayList<>();
  final List<KvsServer> servers = new ArrayList<>();

  BenchCluster(int nodes, Integer shards) {
    NodeSettings settings = NodeSettings.fromEnvironment(System.getenv());
    for (int i = 0; i < nodes; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    try {
      for (String address : addresses) {
        servers.add(KvsServer.builder().address(address).view(addresses).shardCount(shards).settings(settings)
            .listenHost("127.0.0.1").start());
      }
      for (KvsServer server : servers) {
        if (!server.awaitReady(Duration.ofSeconds(30))) {
          throw new IllegalStateException(server.address() + " did not become ready");
        }
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
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
