package io.kvs.bench;

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
    this(nodes, shards, null, io.kvs.core.FsyncPolicy.ALWAYS);
  }

  /** With {@code dataDir}, node {@code i} keeps its data in {@code dataDir/node-i}, emptied first. */
  BenchCluster(int nodes, Integer shards, java.nio.file.Path dataDir, io.kvs.core.FsyncPolicy fsync) {
    NodeSettings settings = NodeSettings.fromEnvironment(System.getenv());
    io.kvs.core.DurabilitySettings durability =
        io.kvs.core.DurabilitySettings.fromEnvironment(System.getenv()).withFsync(fsync);
    for (int i = 0; i < nodes; i++) {
      addresses.add("127.0.0.1:" + freePort());
    }
    try {
      for (int i = 0; i < addresses.size(); i++) {
        java.nio.file.Path dir = dataDir == null ? null : emptied(dataDir.resolve("node-" + i));
        servers.add(KvsServer.builder().address(addresses.get(i)).view(addresses).shardCount(shards)
            .settings(settings).durability(durability).dataDir(dir).listenHost("127.0.0.1").start());
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

  static java.nio.file.Path emptied(java.nio.file.Path dir) {
    try {
      if (java.nio.file.Files.exists(dir)) {
        try (var files = java.nio.file.Files.walk(dir)) {
          files.sorted(java.util.Comparator.reverseOrder()).filter(p -> !p.equals(dir)).forEach(p -> p.toFile().delete());
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot empty " + dir, e);
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
