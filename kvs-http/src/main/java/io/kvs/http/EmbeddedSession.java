package io.kvs.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** A {@link Session} that submits straight to the node's thread. */
final class EmbeddedSession implements Session {
  private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final NodeThread node;
  private CausalContext context = CausalContext.none();

  EmbeddedSession(NodeThread node) {
    this.node = node;
  }

  @Override
  public void put(String key, Object value) {
    join(putAsync(key, value));
  }

  @Override
  public Optional<JsonNode> get(String key) {
    return join(getAsync(key));
  }

  @Override
  public boolean delete(String key) {
    return join(deleteAsync(key));
  }

  @Override
  public CompletableFuture<Void> putAsync(String key, Object value) {
    return run(new Request.Put(key, serialise(value), context()), reply -> null);
  }

  @Override
  public CompletableFuture<Optional<JsonNode>> getAsync(String key) {
    return run(new Request.Get(key, context()),
        reply -> reply == null ? Optional.empty() : Optional.of(parse(reply.value())));
  }

  @Override
  public CompletableFuture<Boolean> deleteAsync(String key) {
    return run(new Request.Delete(key, context()), reply -> reply != null);
  }

  @Override
  public JsonNode causalMetadata() {
    return CausalMetadataJson.toJson(context());
  }

  private synchronized CausalContext context() {
    return context;
  }

  private synchronized void learn(CausalContext learned) {
    context = context.merge(learned);
  }

  /** Submits, folds the answer's metadata in, and maps a Kv reply (null for a missing key). */
  private <T> CompletableFuture<T> run(Request request, Function<Reply.Kv, T> onSuccess) {
    return node.submit(request).thenApply(reply -> {
      if (reply instanceof Reply.Kv kv) {
        learn(kv.context());
        return onSuccess.apply(kv);
      } else if (reply instanceof Reply.KeyMissing missing) {
        learn(missing.context());
        return onSuccess.apply(null);
      } else if (reply instanceof Reply.Failed failed) {
        throw new KvsException(failed.error());
      }
      throw new IllegalStateException("unexpected reply " + reply);
    }).exceptionally(EmbeddedSession::rethrow);
  }

  private static <T> T rethrow(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof NodeStoppedException stopped) {
      throw new IllegalStateException("the server is closed", stopped);
    }
    throw error instanceof CompletionException c ? c : new CompletionException(cause);
  }

  /** The value as UTF-8 JSON; null (refused by the node as missing) for null or JSON null. */
  private static byte[] serialise(Object value) {
    try {
      byte[] json = value == null ? null : Json.MAPPER.writeValueAsBytes(value);
      return json == null || Arrays.equals(json, JSON_NULL) ? null : json;
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("value cannot be written as JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static JsonNode parse(byte[] value) {
    try {
      return Json.MAPPER.readTree(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
