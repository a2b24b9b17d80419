package io.kvs.examples.remote;

import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.client.KvsClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * An app that talks to a cluster already running elsewhere (the README's local cluster, or the
 * Docker one), given a few of its nodes as seeds. It writes typed orders, some of them
 * asynchronously, reads them back, then hands its session to a second client by token, as
 * another process would resume it, and deletes what it wrote. Exits 0 when everything read
 * back as written, 1 otherwise.
 *
 * <p>Run: {@code java -cp ... io.kvs.examples.remote.RemoteClientApp 127.0.0.1:8082,127.0.0.1:8083}
 */
public final class RemoteClientApp {
  /** What the app stores: a record with an {@link Instant}, which the client's mapper handles. */
  public record Order(String id, int quantity, Instant placedAt) {}

  private static final int ORDERS = 100;

  private RemoteClientApp() {}

  /** Entry point: {@code args[0]} is the comma-separated seed addresses. */
  public static void main(String[] args) {
    List<String> seeds = Arrays.asList((args.length > 0 ? args[0] : "127.0.0.1:8082").split(","));
    try {
      String token = writeAndReadBack(seeds);
      resumeElsewhere(seeds, token);
      System.out.println("remote client: " + ORDERS + " orders written, read back, resumed by token and deleted");
    } catch (KvsException e) {
      // one error model: every failure is a KvsException naming its KvsError
      System.err.println("remote client failed: " + e.getMessage() + " (" + e.error()
          + (e.isRetryable() ? ", retryable" : "") + ")");
      System.exit(1);
    } catch (IllegalStateException e) {
      System.err.println("remote client failed: " + e.getMessage());
      System.exit(1);
    }
  }

  /** Writes the orders (half of them asynchronously), reads each back; returns the session's token. */
  static String writeAndReadBack(List<String> seeds) {
    try (KvsClient client = KvsClient.builder().seeds(seeds).totalDeadline(Duration.ofSeconds(20)).build()) {
      Session session = client.openSession();
      List<CompletableFuture<Void>> pending = new ArrayList<>();
      for (int i = 0; i < ORDERS; i++) {
        Order order = new Order("order-" + i, i + 1, Instant.parse("2026-12-03T10:00:00Z").plusSeconds(i));
        if (i % 2 == 0) {
          session.put(order.id(), order);
        } else {
          pending.add(session.putAsync(order.id(), order));
        }
      }
      pending.forEach(CompletableFuture::join);
      for (int i = 0; i < ORDERS; i++) {
        expect(session.get("order-" + i, Order.class), i);
      }
      return session.token();
    }
  }

  /** A second client resumes the session from its token: it must see every write of the first. */
  static void resumeElsewhere(List<String> seeds, String token) {
    try (KvsClient client = KvsClient.builder().seeds(seeds).build()) {
      Session resumed = client.openSession(token);
      for (int i = 0; i < ORDERS; i++) {
        expect(resumed.get("order-" + i, Order.class), i);
        if (!resumed.delete("order-" + i)) {
          throw new IllegalStateException("order-" + i + " was already gone");
        }
      }
      if (resumed.get("order-0", Order.class).isPresent()) {
        throw new IllegalStateException("order-0 reads back after its delete");
      }
    }
  }

  private static void expect(Optional<Order> read, int i) {
    if (read.isEmpty() || read.get().quantity() != i + 1 || !read.get().id().equals("order-" + i)) {
      throw new IllegalStateException("order-" + i + " read back as " + read);
    }
  }
}
