package io.kvs.examples.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.http.KvsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app that embeds a 3-node kvs cluster (one shard, three replicas) in its own JVM on
 * 127.0.0.1, writes through one node and reads the write back through every node.
 * Exits 0 when every node returned the value, 1 otherwise.
 */
public final class EmbeddedCluster {
  private static final Duration READY = Duration.ofSeconds(30);
  private static final Duration REPLICATED = Duration.ofSeconds(10);

  private EmbeddedCluster() {}

  /** Entry point: runs {@link #run()} and reports the outcome through the exit status. */
  public static void main(String[] args) {
    JsonNode value = run();
    System.out.println("every node read back " + value);
  }

  /**
   * Starts the cluster, writes one key through the first node, waits for the other nodes'
   * replicas to hold it, then stops every node.
   *
   * @return the value as the last node read it
   * @throws IllegalStateException if a node did not start or a replica did not get the write in time
   */
  public static JsonNode run() {
    List<String> view = List.of(freeAddress(), freeAddress(), freeAddress());
    List<KvsServer> nodes = new ArrayList<>();
    try {
      for (String address : view) {
        nodes.add(KvsServer.builder().address(address).view(view).listenHost("127.0.0.1").start());
      }
      for (KvsServer node : nodes) {
        if (!node.awaitReady(READY)) {
          throw new IllegalStateException(node.address() + " is not ready after " + READY);
        }
      }
      var writer = nodes.get(0).openSession();
      writer.put("greeting", Map.of("text", "hello", "from", nodes.get(0).address()));
      JsonNode last = null;
      for (KvsServer node : nodes) {
        last = awaitValue(node, "greeting");
      }
      return last;
    } finally {
      nodes.forEach(KvsServer::close);
    }
  }

  /** Polls {@code key} on {@code node} until it is there: a replica gets a write shortly after it is acknowledged. */
  private static JsonNode awaitValue(KvsServer node, String key) {
    var session = node.openSession();
    long deadline = System.nanoTime() + REPLICATED.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<JsonNode> value = session.get(key);
      if (value.isPresent()) {
        return value.get();
      }
      sleep(50);
    }
    throw new IllegalStateException(node.address() + " does not hold " + key + " after " + REPLICATED);
  }

  /** A port the OS just had free: nodes need their ports before any of them starts, to share one view. */
  private static String freeAddress() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "127.0.0.1:" + socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
