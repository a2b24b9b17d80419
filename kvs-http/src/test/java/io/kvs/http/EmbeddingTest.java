package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.core.KvsError;
import io.kvs.core.NodeSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The embedding API used the way the README shows it. */
class EmbeddingTest {
  @Test
  void readmeExample() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    String b = "127.0.0.1:" + TestCluster.freePort();
    List<String> view = List.of(a, b);

    try (KvsServer first = KvsServer.builder().address(a).view(view).settings(NodeSettings.defaults()).start();
         KvsServer second = KvsServer.builder().address(b).view(view).start()) {
      assertThat(first.awaitReady(Duration.ofSeconds(10))).isTrue();
      assertThat(second.awaitReady(Duration.ofSeconds(10))).isTrue();

      Session session = first.openSession();
      session.put("greeting", Map.of("text", "hello", "count", 1));
      Optional<JsonNode> greeting = session.get("greeting");
      assertThat(greeting).isPresent();
      assertThat(greeting.get().get("text").asText()).isEqualTo("hello");

      session.putAsync("answer", 42).join();
      assertThat(session.getAsync("answer").join()).contains(Http.json("42"));
      assertThat(session.deleteAsync("answer").join()).isTrue();
      assertThat(session.delete("answer")).isFalse();
      assertThat(session.get("answer")).isEmpty();
      assertThat(session.causalMetadata().get("clocks").isEmpty()).isFalse();

      Session other = second.openSession();
      Http.await(Duration.ofSeconds(10), "the write reaches the other node",
          () -> other.get("greeting").isPresent());

      assertThatThrownBy(() -> session.put("k".repeat(51), 1))
          .isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.error()).isEqualTo(KvsError.KEY_TOO_LONG))
          .hasMessage("Key is too long");
      assertThatThrownBy(() -> session.put("nothing", null))
          .isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.error()).isEqualTo(KvsError.VALUE_MISSING));

      first.close();
      assertThatThrownBy(() -> session.get("greeting")).isInstanceOfSatisfying(KvsException.class, e -> {
        assertThat(e.error()).isEqualTo(KvsError.NODE_STOPPED);
        assertThat(e.isRetryable()).isTrue();
      });
      assertThat(session.getAsync("greeting")).failsWithin(Duration.ofSeconds(5))
          .withThrowableThat().havingCause().isInstanceOf(KvsException.class);
      assertThatThrownBy(first::openSession)
          .isInstanceOfSatisfying(KvsException.class, e -> assertThat(e.error()).isEqualTo(KvsError.NODE_STOPPED));
    }
  }

  @Test
  void badConfigurationIsOneSentence() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    assertThatThrownBy(() -> KvsServer.builder().address(a).view(List.of("127.0.0.1:1")).start())
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the view must contain this node's address " + a);
    assertThatThrownBy(() -> KvsServer.builder().address("nonsense").view(List.of(a)).start())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void portInUseIsReported() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    try (KvsServer server = KvsServer.builder().address(a).view(List.of(a)).start()) {
      assertThatThrownBy(() -> KvsServer.builder().address(a).view(List.of(a)).start())
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("cannot listen on " + a);
      assertThat(server.view()).containsExactly(a);
    }
  }
}
