package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.core.KvsError;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Typed values, raw JSON, session tokens and the error model of embedded sessions. */
class TypedSessionTest {
  record Order(String id, Instant placedAt, BigDecimal total, List<String> items) {}

  /** Jackson cannot write a bean without properties. */
  static final class Opaque {}

  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(2, null, b -> b);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aRecordWithAnInstantRoundTrips() {
    Session session = cluster.servers.get(0).openSession();
    Order order = new Order("o-1", Instant.parse("2024-05-01T10:15:30.123456Z"), new BigDecimal("19.90"), List.of("a", "b"));
    session.put("order", order);
    assertThat(session.get("order", Order.class)).contains(order);
    assertThat(session.getJson("order").orElseThrow().get("placedAt").asText()).isEqualTo("2024-05-01T10:15:30.123456Z");
    session.put("orders", List.of(order));
    assertThat(session.get("orders", new TypeReference<List<Order>>() { })).contains(List.of(order));
    assertThat(session.get("absent", Order.class)).isEmpty();
  }

  @Test
  void numbersAndBinaryRoundTripExactly() {
    Session session = cluster.servers.get(0).openSession();
    BigInteger big = new BigInteger("123456789012345678901234567890");
    session.put("big", big);
    assertThat(session.get("big", BigInteger.class)).contains(big);
    session.putJson("decimal", "1.10");
    assertThat(session.getJson("decimal").orElseThrow().decimalValue()).isEqualTo(new BigDecimal("1.10"));
    assertThat(session.get("decimal", BigDecimal.class)).contains(new BigDecimal("1.10"));
    byte[] bytes = {0, 1, 2, (byte) 0xff};
    session.put("bytes", bytes);
    assertThat(session.getJson("bytes").orElseThrow().asText()).isEqualTo("AAEC/w==");
    assertThat(session.get("bytes", byte[].class)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
  }

  @Test
  void rawJsonInAndOut() {
    Session session = cluster.servers.get(0).openSession();
    session.putJson("raw", "{\"a\": [1, 2, {\"b\": null}]}");
    JsonNode raw = session.getJson("raw").orElseThrow();
    assertThat(raw.get("a").get(2).has("b")).isTrue();
    session.putJson("tree", raw);
    assertThat(session.getJson("tree")).contains(raw);
  }

  @Test
  void badValuesAreBadRequests() {
    Session session = cluster.servers.get(0).openSession();
    assertError(() -> session.put("x", new Opaque()), KvsError.VALUE_NOT_SERIALISABLE);
    assertError(() -> session.putJson("x", "{not json"), KvsError.VALUE_NOT_JSON);
    assertError(() -> session.putJson("x", "1 2"), KvsError.VALUE_NOT_JSON);
    assertError(() -> session.putJson("x", "null"), KvsError.VALUE_MISSING);
    session.put("text", "hello");
    assertError(() -> session.get("text", Order.class), KvsError.VALUE_TYPE_MISMATCH);
    assertThatThrownBy(() -> session.putAsync("x", new Opaque()).join()).isInstanceOf(CompletionException.class)
        .cause().isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.isRetryable()).isFalse());
  }

  @Test
  void aSessionResumedFromItsTokenOnAnotherNodeReadsItsWrites() {
    Session first = cluster.servers.get(0).openSession();
    for (int i = 0; i < 20; i++) {
      first.put("resume-" + i, i);
    }
    Session resumed = cluster.servers.get(1).openSession(first.token());
    assertThat(resumed.causalMetadata()).isEqualTo(first.causalMetadata());
    for (int i = 0; i < 20; i++) {
      assertThat(resumed.get("resume-" + i, Integer.class)).contains(i);
    }
    assertThatThrownBy(() -> cluster.servers.get(1).openSession("kvs1.not-base64!"))
        .isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.error()).isEqualTo(KvsError.INVALID_SESSION_TOKEN));
    assertThatThrownBy(() -> cluster.servers.get(1).openSession("")).isInstanceOf(KvsException.class)
        .hasMessage("The session token was not exported by a kvs session");
  }

  static void assertError(Runnable call, KvsError expected) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(KvsException.class, e -> {
      assertThat(e.error()).isEqualTo(expected);
      assertThat(e.isRetryable()).isFalse();
    }).hasMessage(expected.message());
  }

}
