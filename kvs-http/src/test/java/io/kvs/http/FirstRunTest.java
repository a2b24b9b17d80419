package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A node with no configuration, and a lone node with SHARD_COUNT=1, start and serve. */
class FirstRunTest {
  private static final Duration DEADLINE = Duration.ofSeconds(20);

  @Test
  void noEnvironmentPicksOneNodeOnLoopback8090() {
    Environment empty = new Environment(Map.of());
    assertThat(empty.singleNode()).isTrue();
    KvsServerBuilder b = empty.nodeBuilder();
    assertThat(b.address).isEqualTo("127.0.0.1:8090");
    assertThat(b.view).containsExactly("127.0.0.1:8090");
    assertThat(b.shardCount).isNull();
    assertThat(b.effectiveListenHost()).isEqualTo("127.0.0.1");
    assertThat(b.port()).isEqualTo(8090);
    // the other variables still apply to the single node
    KvsServerBuilder tuned = new Environment(Map.of("KVS_LISTEN_HOST", "0.0.0.0", "KVS_MAX_BODY_BYTES", "4096"))
        .nodeBuilder();
    assertThat(tuned.effectiveListenHost()).isEqualTo("0.0.0.0");
    assertThat(tuned.maxBodyBytes).isEqualTo(4096);
  }

  @Test
  void halfAConfigurationIsStillRefused() {
    assertThat(new Environment(Map.of("VIEW", "127.0.0.1:8090")).singleNode()).isFalse();
    assertThatThrownBy(() -> new Environment(Map.of("VIEW", "127.0.0.1:8090")).nodeBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("SOCKET_ADDRESS is required");
    assertThatThrownBy(() -> new Environment(Map.of("SOCKET_ADDRESS", "127.0.0.1:8090")).nodeBuilder())
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("VIEW is required");
  }

  @Test
  void theDefaultNodeStartsAndServesOnAFreePort() {
    // the default's own port 8090 may be taken on this machine: same builder, another port
    String address = "127.0.0.1:" + TestCluster.freePort();
    try (KvsServer node = new Environment(Map.of()).nodeBuilder().address(address).view(List.of(address)).start()) {
      assertThat(node.listenAddress()).startsWith("127.0.0.1:");
      Http.await(DEADLINE, "the single node is ready", () -> ready(address));
      assertThat(Http.call("PUT", "http://" + address + "/kvs/k", "{\"value\": 1}").status()).isEqualTo(201);
      Http.Response got = Http.call("GET", "http://" + address + "/kvs/k", null);
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.json().get("value").intValue()).isEqualTo(1);
    }
  }

  @Test
  void aLoneNodeWithOneShardServesPutAndGet() {
    String address = "127.0.0.1:" + TestCluster.freePort();
    Map<String, String> env = Map.of("SOCKET_ADDRESS", address, "VIEW", address, "SHARD_COUNT", "1",
        "KVS_LISTEN_HOST", "127.0.0.1");
    try (KvsServer node = new Environment(env).nodeBuilder().start()) {
      Http.await(DEADLINE, "the lone node is ready", () -> ready(address));
      String url = "http://" + address;
      assertThat(Http.call("GET", url + "/shard/ids", null).json().get("shard-ids").toString()).isEqualTo("[0]");
      assertThat(Http.call("GET", url + "/shard/members/0", null).json().get("shard-members").toString())
          .isEqualTo("[\"" + address + "\"]");

      Http.Response put = Http.call("PUT", url + "/kvs/greeting", "{\"value\": \"hello\"}");
      assertThat(put.status()).isEqualTo(201);
      assertThat(put.json().get("shard-id").intValue()).isEqualTo(0);
      Http.Response get = Http.call("GET", url + "/kvs/greeting",
          "{\"causal-metadata\": " + put.json().get("causal-metadata") + "}");
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.json().get("value").textValue()).isEqualTo("hello");

      // the exception is for starting alone only: a reshard still needs two nodes per shard
      Http.Response reshard = Http.call("PUT", url + "/shard/reshard", "{\"shard-count\": 1}");
      assertThat(reshard.status()).isEqualTo(400);
      assertThat(reshard.json().get("error").textValue())
          .isEqualTo("Not enough nodes to provide fault tolerance with requested shard count");
    }
  }

  @Test
  void everyOtherShortViewIsStillRefused() {
    String a = "127.0.0.1:" + TestCluster.freePort();
    assertThatThrownBy(() -> KvsServer.builder().address(a).view(List.of(a)).shardCount(2).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a view of 1 nodes cannot give 2 shards two members each");
    List<String> three = List.of(a, "127.0.0.1:1", "127.0.0.1:2");
    assertThatThrownBy(() -> KvsServer.builder().address(a).view(three).shardCount(2).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a view of 3 nodes cannot give 2 shards two members each");
  }

  private static boolean ready(String address) {
    return Http.call("GET", "http://" + address + "/ready", null).status() == 200;
  }
}
