package io.kvs.client;

import io.kvs.api.KvsException;
import io.kvs.core.KvsError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One key operation and its retries, by the rules of {@link KvsClientBuilder}: connection
 * failures move to the next candidate at once; a 503 (or every candidate failed) waits with
 * backoff first; a write is sent again only when the attempt before cannot have applied it.
 */
final class Call {
  private static final long BACKOFF_BASE_MS = 25;
  private static final long BACKOFF_CAP_MS = 1_000;

  private final RemoteClient client;
  private final Wire.Request request;
  private final long deadlineNanos;
  private final CompletableFuture<Answer> result = new CompletableFuture<>();
  private final Set<String> tried = new HashSet<>();
  private int waits;
  private KvsError lastError = KvsError.UNREACHABLE;
  private Throwable lastCause;

  Call(RemoteClient client, Wire.Request request, long deadlineNanos) {
    this.client = client;
    this.request = request;
    this.deadlineNanos = deadlineNanos;
  }

  CompletableFuture<Answer> start() {
    attempt();
    return result;
  }

  private void attempt() {
    if (client.isClosed()) {
      fail(KvsError.CLIENT_CLOSED, null);
      return;
    }
    long remainingNanos = deadlineNanos - System.nanoTime();
    if (remainingNanos <= 0) {
      fail(lastError, lastCause);
      return;
    }
    Layout layout = client.layout();
    int shard = layout.shardOf(request.key());
    List<String> candidates = client.router().candidates(layout, shard);
    String node = candidates.stream().filter(n -> !tried.contains(n)).findFirst().orElse(null);
    if (node == null) {
      tried.clear();
      waitThenAttempt();
      return;
    }
    tried.add(node);
    client.send(node, request, remainingNanos).whenComplete((response, error) -> {
      try {
        if (error != null) {
          onFailure(node, unwrap(error));
        } else {
          onResponse(node, shard, layout, response);
        }
      } catch (RuntimeException e) {
        fail(KvsError.UNEXPECTED_ANSWER, e);
      }
    });
  }

  private void onResponse(String node, int shard, Layout layout, HttpResponse<byte[]> response) {
    Answer answer = new Answer(node, response.statusCode(), client.wire().parse(response.body()));
    if (answer.done() || answer.keyMissing() && !request.isPut()) {
      client.router().answered(shard, node, layout);
      if (answer.shardId().isPresent() && !layout.members(answer.shardId().get()).contains(node)) {
        // the node holds (or forwarded to) a shard our layout does not place it or the key in
        client.refreshSoon();
      }
      result.complete(answer);
    } else if (answer.status() >= 500) {
      KvsError error = answer.error();
      client.router().failed(node);
      if (error != KvsError.DEPENDENCIES_UNSATISFIED) {
        client.refreshSoon();
      }
      if (request.isWrite() && error != KvsError.DEPENDENCIES_UNSATISFIED) {
        // the contract does not say that this 503 (or 5xx) left the write unapplied
        fail(error, null);
      } else {
        lastError = error;
        lastCause = null;
        waitThenAttempt();
      }
    } else {
      fail(answer.error(), null);
    }
  }

  private void onFailure(String node, Throwable cause) {
    client.router().failed(node);
    client.refreshSoon();
    if (isConnectFailure(cause)) {
      // never connected, so nothing was sent: safe to send anything again
      lastError = KvsError.UNREACHABLE;
      lastCause = cause;
      attempt();
      return;
    }
    KvsError error = cause instanceof HttpTimeoutException ? KvsError.TIMEOUT
        : cause instanceof IOException ? KvsError.CONNECTION_LOST : KvsError.UNEXPECTED_ANSWER;
    if (request.isWrite() || error == KvsError.UNEXPECTED_ANSWER) {
      fail(error, cause);
    } else {
      lastError = error;
      lastCause = cause;
      attempt();
    }
  }

  /** Exponential backoff with jitter: half the step plus a random part of the other half. */
  private void waitThenAttempt() {
    long stepMs = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS << Math.min(waits, 20));
    waits++;
    long delayMs = stepMs / 2 + ThreadLocalRandom.current().nextLong(stepMs / 2 + 1);
    if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs) - deadlineNanos >= 0) {
      fail(lastError, lastCause);
      return;
    }
    client.later(this::attempt, delayMs);
  }

  private void fail(KvsError error, Throwable cause) {
    result.completeExceptionally(new KvsException(error, cause));
  }

  private static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static boolean isConnectFailure(Throwable cause) {
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return true;
      }
    }
    return false;
  }
}
