package io.kvs.http;

import io.kvs.api.KvsException;
import io.kvs.api.spi.AbstractSession;
import io.kvs.api.spi.JsonValues;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/** A {@link io.kvs.api.Session} that submits straight to the node's thread. */
final class EmbeddedSession extends AbstractSession {
  private final NodeThread node;

  EmbeddedSession(NodeThread node, JsonValues values, CausalContext initial) {
    super(values, initial);
    this.node = node;
  }

  @Override
  protected CompletableFuture<Void> write(String key, byte[] value) {
    return run(new Request.Put(key, value, context()), reply -> null);
  }

  @Override
  protected CompletableFuture<Optional<byte[]>> read(String key) {
    return run(new Request.Get(key, context()), reply -> Optional.ofNullable(reply).map(Reply.Kv::value));
  }

  @Override
  protected CompletableFuture<Boolean> remove(String key) {
    return run(new Request.Delete(key, context()), reply -> reply != null);
  }

  /** Submits, folds the answer's metadata in, and maps a Kv reply (null for a missing key). */
  private <T> CompletableFuture<T> run(Request request, Function<Reply.Kv, T> onSuccess) {
    CompletableFuture<Reply> submitted;
    try {
      submitted = node.submit(request);
    } catch (NodeStoppedException e) {
      submitted = CompletableFuture.failedFuture(e);
    }
    return submitted.handle((reply, error) -> {
      if (error != null) {
        throw failure(error);
      }
      if (reply instanceof Reply.Kv kv) {
        learn(kv.context());
        return onSuccess.apply(kv);
      } else if (reply instanceof Reply.KeyMissing missing) {
        learn(missing.context());
        return onSuccess.apply(null);
      } else if (reply instanceof Reply.Failed failed) {
        throw new KvsException(failed.error());
      }
      throw new KvsException(KvsError.UNEXPECTED_ANSWER);
    });
  }

  /** A stopped node is {@link KvsError#NODE_STOPPED}, like the 503 a remote client gets. */
  private static KvsException failure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof KvsException kvs) {
      return kvs;
    }
    if (cause instanceof NodeStoppedException) {
      return new KvsException(KvsError.NODE_STOPPED, cause);
    }
    return new KvsException(KvsError.UNEXPECTED_ANSWER, cause);
  }
}
