package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict of {@code GET /status} from hand-made reports of a 4-node, 2-shard cluster. */
class StatusVerdictTest {
  private static final List<String> NODES = List.of("10.0.0.1:8090", "10.0.0.2:8090", "10.0.0.3:8090", "10.0.0.4:8090");

  /** A node's report; {@code states} are how this node sees each of {@link #NODES}. */
  private static ObjectNode report(String address, Map<String, String> states) {
    ObjectNode r = Json.object().put("address", address).put("epoch", 1).put("shard-count", 2)
        .put("shard-id", NODES.indexOf(address) % 2).put("caught-up", true).put("keys", 10)
        .put("digest", "d" + NODES.indexOf(address) % 2).put("last-anti-entropy-ago-ms", 100);
    r.putNull("reshard");
    ArrayNode members = r.putArray("members");
    for (String n : NODES) {
      members.addObject().put("address", n).put("state", states.getOrDefault(n, "alive"))
          .put("shard-id", NODES.indexOf(n) % 2).put("silent-ms", 0);
    }
    return r;
  }

  private static Map<String, JsonNode> others(Map<String, String> states, String... unreachable) {
    Map<String, JsonNode> others = new HashMap<>();
    for (String n : NODES.subList(1, NODES.size())) {
      others.put(n, List.of(unreachable).contains(n) ? null : report(n, states));
    }
    return others;
  }

  @Test
  void everyNodeAliveAndAnsweringIsOk() {
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), Map.of()), others(Map.of()));
    assertThat(status.get("verdict").asText()).isEqualTo("ok");
    assertThat(status.get("reasons")).isEmpty();
    assertThat(status.get("shards")).hasSize(2);
    assertThat(status.get("nodes")).hasSize(4);
    assertThat(status.at("/shards/1/keys").asLong()).isEqualTo(10);
  }

  @Test
  void aDownNodeDegradesTheClusterAndShortensItsShard() {
    Map<String, String> states = Map.of(NODES.get(3), "down");
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), states), others(states, NODES.get(3)));
    assertThat(status.get("verdict").asText()).isEqualTo("degraded");
    assertThat(status.get("reasons").toString()).contains("node 10.0.0.4:8090 is down", "shard 1 is short of 1 of its 2");
    assertThat(status.at("/shards/1/live-replicas").asInt()).isEqualTo(1);
    assertThat(status.at("/nodes/3/reachable").asBoolean()).isFalse();
  }

  @Test
  void aShardWithNoLiveReplicaFails() {
    Map<String, String> states = Map.of(NODES.get(1), "suspect", NODES.get(3), "down");
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), states),
        others(states, NODES.get(1), NODES.get(3)));
    assertThat(status.get("verdict").asText()).isEqualTo("fail");
    assertThat(status.at("/reasons/0").asText()).isEqualTo("shard 1 has no live replica: its keys cannot be served");
  }

  @Test
  void anAliveNodeThatDoesNotAnswerIsUnreachableAndDegrades() {
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), Map.of()), others(Map.of(), NODES.get(2)));
    assertThat(status.get("verdict").asText()).isEqualTo("degraded");
    assertThat(status.get("reasons").toString()).contains("node 10.0.0.3:8090 does not answer /status/node");
    assertThat(StatusPage.render(status)).contains("data-address=\"10.0.0.3:8090\" data-state=\"unreachable\"");
  }

  @Test
  void replicasWithDifferentDigestsAreListedWithoutChangingTheVerdict() {
    Map<String, JsonNode> others = others(Map.of());
    ((ObjectNode) others.get(NODES.get(2))).put("digest", "other");
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), Map.of()), others);
    assertThat(status.get("verdict").asText()).isEqualTo("ok");
    assertThat(status.at("/shards/0/replicas-disagree").toString()).contains("10.0.0.1:8090", "10.0.0.3:8090");
  }

  @Test
  void aReshardOrAnotherEpochIsReported() {
    Map<String, JsonNode> others = others(Map.of());
    ((ObjectNode) others.get(NODES.get(1))).put("reshard", "coordinating a reshard to 3 shards: 2 of 4 nodes prepared");
    ((ObjectNode) others.get(NODES.get(2))).put("epoch", 2);
    ObjectNode status = StatusVerdict.assemble(report(NODES.get(0), Map.of()), others);
    assertThat(status.get("verdict").asText()).isEqualTo("degraded");
    assertThat(status.get("reasons").toString()).contains("2 of 4 nodes prepared", "is in epoch 2, this node in 1");
  }

  @Test
  void thePageEscapesWhatItShows() {
    assertThat(StatusPage.esc("<script>\"&'")).isEqualTo("&lt;script&gt;&quot;&amp;&#39;");
  }
}
