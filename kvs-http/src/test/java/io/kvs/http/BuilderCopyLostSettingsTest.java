package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Regression: starting a server resolves the builder into a copy (the bound address and view),
 * and that copy once dropped the user's ObjectMapper and the fast-path switch.
 */
class BuilderCopyLostSettingsTest {
  record Point(int firstX) {}

  @Test
  void theUsersObjectMapperSurvivesTheStart() {
    ObjectMapper snake = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
    try (KvsServer node = KvsServer.builder().address("127.0.0.1:0").objectMapper(snake).start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      node.openSession().put("p", new Point(3));
      Http.Response got = Http.call("GET", "http://" + node.address() + "/kvs/p", null);
      assertThat(got.json().get("value").has("first_x")).isTrue();
      assertThat(node.openSession().get("p", Point.class)).contains(new Point(3));
    }
  }

  @Test
  void turningTheFastPathOffSurvivesTheStart() {
    KvsServerBuilder builder = KvsServer.builder().address("127.0.0.1:0");
    builder.kvFastPath = false;
    try (NodeRuntime node = (NodeRuntime) builder.start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      assertThat(Http.call("PUT", "http://" + node.address() + "/kvs/k", "{\"value\": 1}").status()).isEqualTo(201);
      assertThat(node.kvFastPathServed()).isZero();
    }
  }
}
