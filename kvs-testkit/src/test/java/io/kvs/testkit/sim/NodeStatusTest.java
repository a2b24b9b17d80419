package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.NodeStatus;
import io.kvs.core.NodeStatus.MemberState;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code Node.status()}: what a status page shows, as one node sees the cluster. */
class NodeStatusTest {
  private static Map<String, MemberState> states(NodeStatus status) {
    return status.members().stream().collect(Collectors.toMap(NodeStatus.Member::address, NodeStatus.Member::state));
  }

  private static SimCluster sixNodesTwoShards(long seed) {
    SimCluster cluster = SimCluster.builder(seed).nodes(6).shards(2).build();
    settle(cluster);
    return cluster;
  }

  @Test
  void aHealthyClusterIsAllAliveWithEachNodeInItsShard() {
    SimCluster cluster = sixNodesTwoShards(71);
    String observer = cluster.addresses().get(0);
    NodeStatus status = cluster.node(observer).status();
    assertThat(states(status).values()).hasSize(6).containsOnly(MemberState.ALIVE);
    assertThat(status.shardCount()).isEqualTo(2);
    assertThat(status.caughtUp()).isTrue();
    assertThat(status.reshard()).isNull();
    for (NodeStatus.Member m : status.members()) {
      assertThat(m.shard()).isEqualTo(cluster.node(observer).shardMap().shardOf(m.address()).getAsInt());
    }
  }

  @Test
  void aCrashedNodeIsSuspectThenDownAndAliveAgainAfterItsRestart() {
    SimCluster cluster = sixNodesTwoShards(72);
    String observer = cluster.addresses().get(0);
    String victim = cluster.addresses().get(5);
    cluster.crash(victim);
    assertThat(cluster.runUntil(() -> states(cluster.node(observer).status()).get(victim) == MemberState.SUSPECT,
        10_000)).isTrue();
    assertThat(cluster.runUntil(() -> states(cluster.node(observer).status()).get(victim) == MemberState.DOWN,
        20_000)).isTrue();
    NodeStatus.Member down = cluster.node(observer).status().members().stream()
        .filter(m -> m.address().equals(victim)).findFirst().orElseThrow();
    assertThat(down.shard()).as("a down member still shows the shard it belongs to").isGreaterThanOrEqualTo(0);
    assertThat(down.silentMs()).isGreaterThan(cluster.node(observer).status().members().get(1).silentMs());
    cluster.restart(victim);
    settle(cluster);
    assertThat(states(cluster.node(observer).status()).values()).containsOnly(MemberState.ALIVE);
  }

  @Test
  void replicasOfAShardReportTheSameDigestOnceTheyConverge() {
    SimCluster cluster = sixNodesTwoShards(73);
    String writer = cluster.addresses().get(0);
    for (int i = 0; i < 20; i++) {
      Reply r = cluster.call(writer, new Request.Put("key" + i, ("v" + i).getBytes(StandardCharsets.UTF_8),
          CausalContext.none()));
      assertThat(r).isInstanceOf(Reply.Kv.class);
    }
    cluster.call(writer, new Request.Delete("key0", CausalContext.none()));
    cluster.run(5_000);
    Map<Integer, List<NodeStatus>> byShard = cluster.addresses().stream().map(a -> cluster.node(a).status())
        .collect(Collectors.groupingBy(s -> s.shard().getAsInt()));
    long keys = 0;
    for (List<NodeStatus> replicas : byShard.values()) {
      assertThat(replicas.stream().map(NodeStatus::digest).distinct()).hasSize(1);
      assertThat(replicas.get(0).lastAntiEntropyAgoMs()).isBetween(0L, 5_000L);
      keys += replicas.get(0).liveKeys();
    }
    assertThat(keys).isEqualTo(19);
    assertThat(byShard.values().stream().mapToLong(r -> r.get(0).tombstones()).sum()).isEqualTo(1);
    assertThat(byShard.get(0).get(0).digest()).isNotEqualTo(byShard.get(1).get(0).digest());
  }

  @Test
  void theCoordinatorOfAReshardReportsItsProgress() {
    SimCluster cluster = sixNodesTwoShards(74);
    String coordinator = cluster.addresses().get(0);
    Reply[] done = {null};
    cluster.node(coordinator).submit(new Request.Reshard(3), r -> done[0] = r);
    assertThat(cluster.node(coordinator).status().reshard()).startsWith("coordinating a reshard to 3 shards");
    assertThat(cluster.runUntil(() -> done[0] != null, 60_000)).isTrue();
    assertThat(cluster.node(coordinator).status().reshard()).isNull();
    assertThat(cluster.node(coordinator).status().shardCount()).isEqualTo(3);
  }
}
