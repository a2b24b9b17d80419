package io.kvs.http;

import io.kvs.api.KvsException;
import io.kvs.api.Session;
import java.time.Duration;
import java.util.List;

/**
 * A running kvs node: the core state machine on its own thread, the HTTP contract on its
 * port, and node-to-node traffic over HTTP. Start one with {@link #builder()}:
 *
 * <pre>{@code
 * try (KvsServer server = KvsServer.builder()
 *     .address("127.0.0.1:9001")
 *     .view(List.of("127.0.0.1:9001", "127.0.0.1:9002"))
 *     .start()) {
 *   server.awaitReady(Duration.ofSeconds(5));
 *   Session session = server.openSession();
 *   session.put("greeting", Map.of("text", "hello"));
 *   Optional<JsonNode> value = session.get("greeting");
 * }
 * }</pre>
 */
public interface KvsServer extends AutoCloseable {
  /** A builder for a server; {@link KvsServerBuilder#address} is required. */
  static KvsServerBuilder builder() {
    return new KvsServerBuilder();
  }

  /** The address other nodes reach this node at ({@code IP:PORT}), with the bound port when port 0 was asked for. */
  String address();

  /**
   * The host and port the HTTP server listens on, e.g. {@code 0.0.0.0:8090}.
   *
   * @throws IllegalStateException for a node started with {@code httpListener(false)}
   */
  String listenAddress();

  /** The current view, read on the node's thread. */
  List<String> view();

  /**
   * Waits until this node can serve: it holds its shard's data (it caught up from the other
   * members), or it is in no shard and forwards every key request.
   *
   * @return false when {@code timeout} passed first
   */
  boolean awaitReady(Duration timeout);

  /**
   * A new client session that talks to this node directly (not over HTTP) and carries its
   * own causal metadata, so it reads its own writes on any node of the cluster. Values are
   * mapped by {@link KvsServerBuilder#objectMapper}.
   *
   * @throws KvsException {@link io.kvs.core.KvsError#NODE_STOPPED} once the server is closed
   *     (and operations of its sessions then fail the same way)
   */
  Session openSession();

  /**
   * A session resumed from a {@link Session#token()} taken on any node or client of the
   * cluster: it reads every write the original session had seen.
   *
   * @throws KvsException {@link io.kvs.core.KvsError#INVALID_SESSION_TOKEN} for a token no
   *     session exported, {@link io.kvs.core.KvsError#NODE_STOPPED} once the server is closed
   */
  Session openSession(String token);

  /**
   * Stops gracefully: the HTTP server refuses new requests (503) and waits for those in flight
   * to be answered, at most about the longest a request can wait in the node; then the node
   * stops and whatever still waits fails. Idempotent.
   */
  @Override
  void close();
}
