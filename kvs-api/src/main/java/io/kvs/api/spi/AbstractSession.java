package io.kvs.api.spi;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The part of a {@link Session} that does not depend on how requests travel: value mapping,
 * the session's causal context, tokens, and turning every failure into a {@link KvsException}.
 * An implementation supplies the three raw operations on exact JSON bytes and calls
 * {@link #learn} with the metadata of every answer.
 */
public abstract class AbstractSession implements Session {
  private final JsonValues values;
  private CausalContext context;

  /** A session mapping values with {@code values} and depending on {@code initial}. */
  protected AbstractSession(JsonValues values, CausalContext initial) {
    this.values = values;
    this.context = initial;
  }

  /** Writes the (valid, non-null) JSON {@code value} under {@code key}. */
  protected abstract CompletableFuture<Void> write(String key, byte[] value);

  /** Reads {@code key}'s exact JSON bytes; empty when it does not exist. */
  protected abstract CompletableFuture<Optional<byte[]>> read(String key);

  /** Deletes {@code key}; false when it did not exist. */
  protected abstract CompletableFuture<Boolean> remove(String key);

  /** The causal context every request of the session must carry. */
  protected final synchronized CausalContext context() {
    return context;
  }

  /** Folds the context of an answer into the session's. */
  protected final synchronized void learn(CausalContext learned) {
    context = context.merge(learned);
  }

  @Override
  public CompletableFuture<Void> putAsync(String key, Object value) {
    return guard(() -> write(checked(key), values.write(value)));
  }

  @Override
  public CompletableFuture<Void> putJsonAsync(String key, String json) {
    return guard(() -> write(checked(key), values.writeRaw(json)));
  }

  @Override
  public CompletableFuture<Optional<JsonNode>> getJsonAsync(String key) {
    return readAs(key, values::readTree);
  }

  @Override
  public <T> CompletableFuture<Optional<T>> getAsync(String key, Class<T> type) {
    JavaType javaType = values.mapper().constructType(type);
    return readAs(key, bytes -> values.<T>read(bytes, javaType));
  }

  @Override
  public <T> CompletableFuture<Optional<T>> getAsync(String key, TypeReference<T> type) {
    JavaType javaType = values.mapper().constructType(type);
    return readAs(key, bytes -> values.<T>read(bytes, javaType));
  }

  @Override
  public CompletableFuture<Boolean> deleteAsync(String key) {
    return guard(() -> remove(checked(key)));
  }

  @Override
  public JsonNode causalMetadata() {
    return CausalMetadataJson.toJson(context());
  }

  @Override
  public String token() {
    return SessionTokens.encode(context());
  }

  private <T> CompletableFuture<Optional<T>> readAs(String key, Function<byte[], T> decode) {
    return guard(() -> read(checked(key)).thenApply(found -> found.map(decode)));
  }

  /** {@code key}; a null key is refused like an empty one. */
  private static String checked(String key) {
    if (key == null) {
      throw new KvsException(KvsError.KEY_EMPTY);
    }
    return key;
  }

  /**
   * Runs {@code operation}, so that a failure thrown at once (a bad value) fails the future
   * instead, and makes sure the future fails only with a {@link KvsException}.
   */
  private static <T> CompletableFuture<T> guard(Supplier<CompletableFuture<T>> operation) {
    CompletableFuture<T> started;
    try {
      started = operation.get();
    } catch (RuntimeException e) {
      started = CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    started.whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else {
        result.completeExceptionally(asKvsException(error));
      }
    });
    return result;
  }

  /** {@code error} itself when it is a KvsException (unwrapped), else one that says so. */
  private static KvsException asKvsException(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof KvsException kvs) {
      return kvs;
    }
    // an implementation bug or an unexpected runtime failure: still one error model for callers
    return new KvsException(KvsError.UNEXPECTED_ANSWER, cause);
  }
}
