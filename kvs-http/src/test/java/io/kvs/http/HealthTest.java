package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.NodeSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health} and {@code GET /ready} through every state a node passes on its way to serving. */
class HealthTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);
  /** Peers are never suspected nor removed during a test, so only their answers make a node ready. */
  private static final NodeSettings PATIENT = NodeSettings.defaults()
      .with("KVS_REMOVE_AFTER_MS", 120_000).with("KVS_SUSPECT_AFTER_MS", 60_000);

  private final List<KvsServer> servers = new ArrayList<>();

  @AfterEach
  void closeAll() {
    servers.forEach(KvsServer::close);
  }

  private KvsServer start(String address, List<String> view, Integer shards) {
    KvsServer server = KvsServer.builder().address(address).view(view).shardCount(shards).settings(PATIENT).start();
    servers.add(server);
    return server;
  }

  private static Http.Response get(String address, String path) {
    return Http.call("GET", "http://" + address + path, null);
  }

  private static String reason(String address) {
    return get(address, "/ready").json().get("reason").textValue();
  }

  @Test
  void healthIsUpAndReadyIs503UntilTheShardPeerAnswersThen200() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    String b = "127.0.0.1:" + TestCluster.freePort();
    start(a, List.of(a, b), null);

    Http.Response health = get(a, "/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.contentType()).startsWith("application/json");
    assertThat(health.json().get("status").textValue()).isEqualTo("up");
    assertThat(health.json().get("address").textValue()).isEqualTo(a);
    assertThat(health.json().get("reason").textValue()).isNotBlank();

    // b is not running: a cannot know whether b holds data it lacks, so it must not serve yet
    Http.Response waiting = get(a, "/ready");
    assertThat(waiting.status()).isEqualTo(503);
    assertThat(waiting.contentType()).startsWith("application/json");
    assertThat(waiting.json().get("status").textValue()).isEqualTo("not ready");
    assertThat(waiting.json().get("address").textValue()).isEqualTo(a);
    assertThat(waiting.json().get("shard-id").intValue()).isEqualTo(0);
    assertThat(waiting.json().get("reason").textValue()).contains("catching up shard 0");

    start(b, List.of(a, b), null);
    for (String node : List.of(a, b)) {
      Http.await(DEADLINE, node + " is ready", () -> get(node, "/ready").status() == 200);
      Http.Response ready = get(node, "/ready");
      assertThat(ready.json().get("status").textValue()).isEqualTo("ready");
      assertThat(ready.json().get("address").textValue()).isEqualTo(node);
      assertThat(ready.json().get("shard-id").intValue()).isEqualTo(0);
      assertThat(ready.json().get("reason").textValue()).isEqualTo("the node serves the keys of shard 0");
    }
  }

  @Test
  void aNodeInNoShardIsNotReadyUntilAddedToOne() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    String b = "127.0.0.1:" + TestCluster.freePort();
    String c = "127.0.0.1:" + TestCluster.freePort();
    for (KvsServer s : List.of(start(a, List.of(a, b), 1), start(b, List.of(a, b), 1))) {
      assertThat(s.awaitReady(DEADLINE)).isTrue();
    }
    // without SHARD_COUNT, c joins the sharded cluster in no shard and waits for add-member
    KvsServer joiner = start(c, List.of(a, b, c), null);
    Http.await(DEADLINE, c + " learns it is in no shard", () -> reason(c).contains("in no shard"));
    Http.Response idle = get(c, "/ready");
    assertThat(idle.status()).isEqualTo(503);
    assertThat(idle.json().get("shard-id").isNull()).isTrue();
    assertThat(joiner.awaitReady(Duration.ZERO)).as("awaitReady still counts a forwarding node as ready").isTrue();

    Http.Response added = Http.call("PUT", "http://" + a + "/shard/add-member/0", "{\"socket-address\": \"" + c + "\"}");
    assertThat(added.status()).isEqualTo(200);
    Http.await(DEADLINE, c + " is ready", () -> get(c, "/ready").status() == 200);
    assertThat(get(c, "/ready").json().get("shard-id").intValue()).isEqualTo(0);
  }

  @Test
  void probesRefuseOtherMethodsWithJson() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    start(a, List.of(a), null);
    for (String path : List.of("/health", "/ready")) {
      Http.Response r = Http.call("POST", "http://" + a + path, "{}");
      assertThat(r.status()).as(path).isEqualTo(405);
      assertThat(r.json().get("error").textValue()).isEqualTo("Method POST is not allowed on " + path);
    }
  }
}
