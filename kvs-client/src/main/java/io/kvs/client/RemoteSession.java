package io.kvs.client;

import io.kvs.api.spi.AbstractSession;
import io.kvs.api.spi.JsonValues;
import io.kvs.core.CausalContext;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A {@link io.kvs.api.Session} over HTTP: each request carries the session's metadata. */
final class RemoteSession extends AbstractSession {
  private final RemoteClient client;

  RemoteSession(RemoteClient client, JsonValues values, CausalContext initial) {
    super(values, initial);
    this.client = client;
  }

  @Override
  protected CompletableFuture<Void> write(String key, byte[] value) {
    return client.call(client.wire().request("PUT", key, context(), value)).thenApply(answer -> {
      learn(answer.context());
      return null;
    });
  }

  @Override
  protected CompletableFuture<Optional<byte[]>> read(String key) {
    return client.call(client.wire().request("GET", key, context(), null)).thenApply(answer -> {
      learn(answer.context());
      return answer.done() ? Optional.of(client.wire().value(answer)) : Optional.empty();
    });
  }

  @Override
  protected CompletableFuture<Boolean> remove(String key) {
    return client.call(client.wire().request("DELETE", key, context(), null)).thenApply(answer -> {
      learn(answer.context());
      return answer.done();
    });
  }
}
