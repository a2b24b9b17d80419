package io.kvs.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A causally consistent client session: every operation depends on everything the session
 * wrote or read before, on any shard (guarantee G1). The embedded node
 * ({@code KvsServer.openSession()}) and the remote client ({@code KvsClient.openSession()})
 * both return this interface, so code switches between them by changing one line. Safe for
 * use from several threads.
 *
 * <p>Values are mapped by the session's Jackson {@code ObjectMapper} (the one given to the
 * server's or client's builder): {@link #put} writes any object, {@link #get(String, Class)}
 * reads it back as a type; {@link #putJson(String, String)} and {@link #getJson} pass raw JSON.
 *
 * <p>Every failure is a {@link KvsException}: thrown by the blocking methods, and the cause
 * with which the futures of the asynchronous methods complete exceptionally (those methods
 * never throw themselves). A missing key is no failure: reads return empty, deletes false.
 */
public interface Session {
  /** Writes {@code value}, serialised by the session's mapper (not null, not JSON null). */
  CompletableFuture<Void> putAsync(String key, Object value);

  /** Writes the JSON document {@code json} as it is; it must be one valid JSON value, not null. */
  CompletableFuture<Void> putJsonAsync(String key, String json);

  /** Writes the JSON tree {@code json}. */
  default CompletableFuture<Void> putJsonAsync(String key, JsonNode json) {
    return putAsync(key, json);
  }

  /** Reads {@code key} as a JSON tree (exact numbers); empty when it does not exist. */
  CompletableFuture<Optional<JsonNode>> getJsonAsync(String key);

  /** Reads {@code key} as a {@code type}; empty when it does not exist. */
  <T> CompletableFuture<Optional<T>> getAsync(String key, Class<T> type);

  /** Reads {@code key} as a generic type such as {@code List<Order>}; empty when it does not exist. */
  <T> CompletableFuture<Optional<T>> getAsync(String key, TypeReference<T> type);

  /** Deletes {@code key}; false when it did not exist. */
  CompletableFuture<Boolean> deleteAsync(String key);

  /** The same as {@link #getJsonAsync}. */
  default CompletableFuture<Optional<JsonNode>> getAsync(String key) {
    return getJsonAsync(key);
  }

  /** The session's causal metadata in the HTTP contract's form. */
  JsonNode causalMetadata();

  /**
   * The session's causal context as an opaque URL-safe token. A session opened from it
   * ({@code openSession(token)} on any node, or on a remote client in another process) reads
   * every write this session had seen when the token was taken.
   */
  String token();

  /** Blocking {@link #putAsync}. */
  default void put(String key, Object value) {
    join(putAsync(key, value));
  }

  /** Blocking {@link #putJsonAsync(String, String)}. */
  default void putJson(String key, String json) {
    join(putJsonAsync(key, json));
  }

  /** Blocking {@link #putJsonAsync(String, JsonNode)}. */
  default void putJson(String key, JsonNode json) {
    join(putJsonAsync(key, json));
  }

  /** Blocking {@link #getJsonAsync}. */
  default Optional<JsonNode> getJson(String key) {
    return join(getJsonAsync(key));
  }

  /** The same as {@link #getJson}. */
  default Optional<JsonNode> get(String key) {
    return getJson(key);
  }

  /** Blocking {@link #getAsync(String, Class)}. */
  default <T> Optional<T> get(String key, Class<T> type) {
    return join(getAsync(key, type));
  }

  /** Blocking {@link #getAsync(String, TypeReference)}. */
  default <T> Optional<T> get(String key, TypeReference<T> type) {
    return join(getAsync(key, type));
  }

  /** Blocking {@link #deleteAsync}. */
  default boolean delete(String key) {
    return join(deleteAsync(key));
  }

  /** Waits for {@code future}; its {@link KvsException} is thrown as it is, not wrapped. */
  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof KvsException kvs) {
        // a fresh exception, so that the stack trace shows this caller too
        throw new KvsException(kvs.error(), kvs);
      }
      throw e;
    }
  }
}
