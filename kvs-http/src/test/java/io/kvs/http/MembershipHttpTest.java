package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The membership rows that change the cluster: view add/delete, reshard, add-member. */
class MembershipHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void viewChangesReshardAndAddMember() {
    try (TestCluster cluster = new TestCluster(4, null, b -> b)) {
      assertThat(Http.call("GET", cluster.url(0, "/shard/ids"), null).json()).isEqualTo(Http.json("{\"shard-ids\": [0]}"));
      Map<String, JsonNode> written = write(cluster, 12);

      String ghost = "127.0.0.1:" + TestCluster.freePort();
      String body = "{\"socket-address\": \"" + ghost + "\"}";
      assertThat(Http.call("PUT", cluster.url(1, "/view"), body).json()).isEqualTo(Http.json("{\"result\": \"added\"}"));
      assertThat(Http.call("PUT", cluster.url(1, "/view"), body).status()).isEqualTo(200);
      Http.Response deleted = Http.call("DELETE", cluster.url(2, "/view"), body);
      assertThat(deleted.status()).isEqualTo(200);
      assertThat(deleted.json()).isEqualTo(Http.json("{\"result\": \"deleted\"}"));
      Http.await(WAIT, "every view drops the ghost", () -> allViewsEqual(cluster, cluster.addresses.size()));

      Http.Response reshard = Http.call("PUT", cluster.url(3, "/shard/reshard"), "{\"shard-count\": 2}");
      assertThat(reshard.status()).as(reshard.body()).isEqualTo(200);
      assertThat(reshard.json()).isEqualTo(Http.json("{\"result\": \"resharded\"}"));
      for (int node = 0; node < 4; node++) {
        assertThat(Http.call("GET", cluster.url(node, "/shard/ids"), null).json())
            .isEqualTo(Http.json("{\"shard-ids\": [0, 1]}"));
      }
      assertReadable(cluster, written);
      addMember(cluster);
      assertReadable(cluster, written);
    }
  }

  /** A fifth node joins a sharded cluster in no shard, then is added to shard 0. */
  private static void addMember(TestCluster cluster) {
    String fifth = "127.0.0.1:" + TestCluster.freePort();
    List<String> view = new ArrayList<>(cluster.addresses);
    view.add(fifth);
    cluster.addresses.add(fifth);
    cluster.servers.add(KvsServer.builder().address(fifth).view(view).start());
    Http.await(WAIT, "every view has the fifth node", () -> allViewsEqual(cluster, 5));
    Http.Response added = Http.call("PUT", cluster.url(0, "/shard/add-member/0"), "{\"socket-address\": \"" + fifth + "\"}");
    assertThat(added.status()).as(added.body()).isEqualTo(200);
    assertThat(added.json()).isEqualTo(Http.json("{\"result\": \"node added to shard\"}"));
    Http.await(WAIT, "the fifth node is in shard 0", () ->
        Http.call("GET", cluster.url(4, "/shard/node-shard-id"), null).json().equals(Http.json("{\"node-shard-id\": 0}")));
  }

  private static Map<String, JsonNode> write(TestCluster cluster, int keys) {
    Map<String, JsonNode> metadata = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      Http.Response r = Http.call("PUT", cluster.url(i % 4, "/kvs/m" + i), "{\"value\": " + i + "}");
      assertThat(r.status()).isEqualTo(201);
      metadata.put("m" + i, r.json().get("causal-metadata"));
    }
    return metadata;
  }

  private static void assertReadable(TestCluster cluster, Map<String, JsonNode> written) {
    written.forEach((key, meta) -> {
      Http.Response r = Http.call("GET", cluster.url(0, "/kvs/" + key), "{\"causal-metadata\": " + meta + "}");
      assertThat(r.status()).as(key + " " + r.body()).isEqualTo(200);
      assertThat(r.json().get("value").intValue()).isEqualTo(Integer.parseInt(key.substring(1)));
    });
  }

  private static boolean allViewsEqual(TestCluster cluster, int size) {
    JsonNode first = Http.call("GET", cluster.url(0, "/view"), null).json();
    if (first.get("view").size() != size) {
      return false;
    }
    for (int node = 1; node < cluster.addresses.size(); node++) {
      if (!first.equals(Http.call("GET", cluster.url(node, "/view"), null).json())) {
        return false;
      }
    }
    return true;
  }
}
