package io.kvs.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.core.KvsError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The remote client against four in-process nodes in two shards. */
class RemoteClientTest {
  record Reading(String sensor, Instant at, BigDecimal celsius) {}

  private static Nodes nodes;

  @BeforeAll
  static void start() {
    nodes = new Nodes(4, 2);
  }

  @AfterAll
  static void stop() {
    nodes.close();
  }

  @Test
  void learnsTheViewAndShardsFromOneSeed() {
    try (KvsClient client = nodes.client()) {
      Layout layout = ((RemoteClient) client).layout();
      assertThat(layout.view()).containsExactlyInAnyOrderElementsOf(nodes.addresses);
      assertThat(layout.shardCount()).isEqualTo(2);
      assertThat(layout.members(0)).hasSize(2);
      assertThat(layout.members(1)).hasSize(2).doesNotContainAnyElementsOf(layout.members(0));
    }
  }

  @Test
  void typedValuesRoundTripLikeEmbedded() {
    try (KvsClient client = nodes.client()) {
      Session session = client.openSession();
      Reading reading = new Reading("s-1", Instant.parse("2025-01-02T03:04:05.678Z"), new BigDecimal("21.50"));
      session.put("reading", reading);
      assertThat(session.get("reading", Reading.class)).contains(reading);
      BigInteger big = new BigInteger("98765432109876543210987654321");
      session.put("big", big);
      assertThat(session.get("big", BigInteger.class)).contains(big);
      session.putJson("decimal", "1.10");
      assertThat(session.getJson("decimal").orElseThrow().decimalValue()).isEqualTo(new BigDecimal("1.10"));
      byte[] bytes = {(byte) 0xca, (byte) 0xfe};
      session.put("bytes", bytes);
      assertThat(session.get("bytes", byte[].class)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
      assertThat(session.getAsync("reading", Reading.class).join()).contains(reading);
      assertThat(session.deleteAsync("reading").join()).isTrue();
      assertThat(session.get("reading", Reading.class)).isEmpty();
      assertThat(session.delete("reading")).isFalse();
    }
  }

  @Test
  void tokensMoveSessionsBetweenEmbeddedAndRemote() {
    Session embedded = nodes.servers.get(0).openSession();
    for (int i = 0; i < 30; i++) {
      embedded.put("token-" + i, i);
    }
    try (KvsClient client = nodes.client()) {
      Session remote = client.openSession(embedded.token());
      for (int i = 0; i < 30; i++) {
        assertThat(remote.get("token-" + i, Integer.class)).contains(i);
        remote.put("token-" + i, i + 100);
      }
      Session back = nodes.servers.get(3).openSession(remote.token());
      for (int i = 0; i < 30; i++) {
        assertThat(back.get("token-" + i, Integer.class)).contains(i + 100);
      }
      assertThatThrownBy(() -> client.openSession("kvs1.bm9wZQ"))
          .isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.error()).isEqualTo(KvsError.INVALID_SESSION_TOKEN));
    }
  }

  @Test
  void aClosedClientRefusesWork() {
    KvsClient client = nodes.client();
    Session session = client.openSession();
    client.close();
    assertThatThrownBy(() -> session.get("x")).isInstanceOfSatisfying(KvsException.class, e -> {
      assertThat(e.error()).isEqualTo(KvsError.CLIENT_CLOSED);
      assertThat(e.isRetryable()).isFalse();
    });
    assertThatThrownBy(client::openSession).isInstanceOf(KvsException.class).hasMessage("The client is closed");
  }

  @Test
  void badConfigurationIsOneSentence() {
    assertThatThrownBy(() -> KvsClient.builder().build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the client needs at least one seed address");
    assertThatThrownBy(() -> KvsClient.builder().seeds("nonsense").build()).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seed addresses must look like IP:PORT: [nonsense]");
    assertThatThrownBy(() -> KvsClient.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the request timeout must be positive");
  }

  /** Polls {@code condition} until {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

}
