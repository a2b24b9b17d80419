package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A causally consistent client session on one node: every operation depends on everything
 * the session wrote or read before, on any shard. Safe for use from several threads.
 *
 * <p>Failures are {@link KvsException}s (thrown by the blocking methods, completing the
 * futures of the asynchronous ones); after the server closed, operations fail with
 * {@link IllegalStateException}.
 */
public interface Session {
  /** Writes {@code value} (serialised by Jackson; not null) under {@code key}. */
  void put(String key, Object value);

  /** Reads {@code key}; empty when it does not exist. */
  Optional<JsonNode> get(String key);

  /** Deletes {@code key}; false when it did not exist. */
  boolean delete(String key);

  /** {@link #put} without blocking. */
  CompletableFuture<Void> putAsync(String key, Object value);

  /** {@link #get} without blocking. */
  CompletableFuture<Optional<JsonNode>> getAsync(String key);

  /** {@link #delete} without blocking. */
  CompletableFuture<Boolean> deleteAsync(String key);

  /** The session's causal metadata in the HTTP contract's form. */
  JsonNode causalMetadata();
}
