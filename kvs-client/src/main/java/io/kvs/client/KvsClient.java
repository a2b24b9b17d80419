package io.kvs.client;

import io.kvs.api.KvsException;
import io.kvs.api.Session;

/**
 * A client of a running kvs cluster over its HTTP contract. Its sessions are the same
 * {@link Session} as an embedded node's, so code switches between the two by one line:
 *
 * <pre>{@code
 * try (KvsClient client = KvsClient.builder().seeds("127.0.0.1:8082", "127.0.0.1:8083").build()) {
 *   Session session = client.openSession();          // instead of server.openSession()
 *   session.put("order-1", new Order("o-1", Instant.now()));
 *   Optional<Order> order = session.get("order-1", Order.class);
 * }
 * }</pre>
 *
 * <p>The client learns the view and the shard layout from the seeds, keeps them fresh
 * (periodically and whenever an answer shows a change), sends each key to a live member of
 * its shard (sticking to one healthy replica per shard), and fails over and retries as
 * {@link KvsClientBuilder} describes. Thread-safe; one client per application is enough.
 */
public interface KvsClient extends AutoCloseable {
  /** A builder; {@link KvsClientBuilder#seeds} is required. */
  static KvsClientBuilder builder() {
    return new KvsClientBuilder();
  }

  /**
   * A new session with no causal past.
   *
   * @throws KvsException {@link io.kvs.core.KvsError#CLIENT_CLOSED} after {@link #close()}
   */
  Session openSession();

  /**
   * A session resumed from a {@link Session#token()} taken in this or another process, from a
   * remote or an embedded session: it reads every write the original session had seen.
   *
   * @throws KvsException {@link io.kvs.core.KvsError#INVALID_SESSION_TOKEN} for a token no
   *     session exported, {@link io.kvs.core.KvsError#CLIENT_CLOSED} after {@link #close()}
   */
  Session openSession(String token);

  /**
   * Stops refreshing and fails later operations with {@link io.kvs.core.KvsError#CLIENT_CLOSED};
   * operations in flight end by their deadline. Idempotent.
   */
  @Override
  void close();
}
