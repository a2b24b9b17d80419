package io.kvs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.core.KvsError;
import io.kvs.http.KvsServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** An embedded and a remote session meet the same errors in the same way. */
class SameErrorsTest {
  /** Jackson cannot write a bean without properties. */
  static final class Opaque {}

  record Point(int x, int y) {}

  @Test
  void missingKeysAndBadValues() {
    try (Nodes nodes = new Nodes(2, null); KvsClient client = nodes.client()) {
      Session embedded = nodes.servers.get(0).openSession();
      Session remote = client.openSession();
      for (Session s : List.of(embedded, remote)) {
        assertThat(s.get("never-written")).isEmpty();
        assertThat(s.get("never-written", Point.class)).isEmpty();
        assertThat(s.delete("never-written")).isFalse();
        s.put("text", "hello");
      }
      Map<String, Consumer<Session>> calls = Map.of(
          "unserialisable value", s -> s.put("k", new Opaque()),
          "null value", s -> s.put("k", null),
          "text that is not JSON", s -> s.putJson("k", "{oops"),
          "key too long", s -> s.put("k".repeat(51), 1),
          "wrong type", s -> s.get("text", Point.class),
          "async unserialisable value", s -> join(s.putAsync("k", new Opaque())));
      calls.forEach((what, call) -> {
        KvsException fromEmbedded = failure(call, embedded);
        KvsException fromRemote = failure(call, remote);
        assertThat(fromRemote.error()).as(what).isEqualTo(fromEmbedded.error());
        assertThat(fromRemote.getMessage()).as(what).isEqualTo(fromEmbedded.getMessage());
        assertThat(fromRemote.isRetryable()).as(what).isFalse();
        assertThat(fromEmbedded.error().category()).as(what).isEqualTo(KvsError.Category.BAD_REQUEST);
      });
      assertThat(failure(s -> s.put("k", new Opaque()), remote).error()).isEqualTo(KvsError.VALUE_NOT_SERIALISABLE);
    }
  }

  @Test
  void aStoppedNodeIsARetryableUnavailableError() {
    String address = "127.0.0.1:" + Nodes.freePort();
    KvsServer server = KvsServer.builder().address(address).view(List.of(address)).start();
    server.awaitReady(Duration.ofSeconds(10));
    try (KvsClient client = KvsClient.builder().seeds(address).totalDeadline(Duration.ofMillis(800)).build()) {
      Session embedded = server.openSession();
      Session remote = client.openSession();
      embedded.put("k", 1);
      remote.put("k", 2);
      server.close();
      for (Consumer<Session> call : List.<Consumer<Session>>of(s -> s.get("k"), s -> s.put("k", 3))) {
        KvsException fromEmbedded = failure(call, embedded);
        KvsException fromRemote = failure(call, remote);
        assertThat(fromEmbedded.error()).isEqualTo(KvsError.NODE_STOPPED);
        // the node's port is closed: the client cannot tell a stopped node from an unreachable one
        assertThat(fromRemote.error()).isEqualTo(KvsError.UNREACHABLE);
        assertThat(fromRemote.error().category()).isEqualTo(fromEmbedded.error().category());
        assertThat(fromEmbedded.isRetryable()).isTrue();
        assertThat(fromRemote.isRetryable()).isTrue();
      }
    } finally {
      server.close();
    }
  }

  private static KvsException failure(Consumer<Session> call, Session session) {
    KvsException e = catchThrowableOfType(KvsException.class, () -> call.accept(session));
    assertThat(e).as("a KvsException").isNotNull();
    return e;
  }

  /** Like the blocking methods: the future's KvsException, unwrapped. */
  private static void join(java.util.concurrent.CompletableFuture<?> future) {
    try {
      future.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (KvsException) e.getCause();
    }
  }
}
