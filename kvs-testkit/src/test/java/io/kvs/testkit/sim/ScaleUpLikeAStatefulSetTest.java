package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scaling up as deploy/kubernetes does it: every pod has the same environment, so a new pod
 * starts with {@code SHARD_COUNT} set and a {@code VIEW} that lists the old nodes and itself.
 * It must join the running cluster (its state wins over the new pod's own initial placement)
 * and take a shard only through add-member, with no key lost.
 */
class ScaleUpLikeAStatefulSetTest {
  @Test
  void aNewPodWithTheSameShardCountJoinsAndIsPlacedByAddMember() {
    SimCluster cluster = SimCluster.builder(81).nodes(6).shards(2).build();
    settle(cluster);
    String coordinator = cluster.addresses().get(0);
    for (int i = 0; i < 50; i++) {
      Reply r = cluster.call(coordinator, new Request.Put("k" + i, ("" + i).getBytes(StandardCharsets.UTF_8),
          CausalContext.none()));
      assertThat(r).isInstanceOf(Reply.Kv.class);
    }
    String newPod = SimCluster.addressOf(6);
    List<String> view = new ArrayList<>(cluster.addresses());
    view.add(newPod);
    cluster.startNode(newPod, view, 2);
    assertThat(cluster.runUntil(() -> cluster.node(coordinator).view().contains(newPod), 20_000)).isTrue();
    assertThat(cluster.call(coordinator, new Request.AddMember(0, newPod))).isInstanceOf(Reply.Ok.class);
    settle(cluster);
    assertThat(cluster.node(newPod).shardId().getAsInt()).isEqualTo(0);
    assertThat(cluster.node(coordinator).shardMap().members(0)).contains(newPod);
    assertThat(cluster.node(coordinator).shardMap().members(1)).hasSize(3);
    long keys = 0;
    for (int s = 0; s < 2; s++) {
      keys += ((Reply.KeyCount) cluster.call(newPod, new Request.KeyCount(s))).count();
    }
    assertThat(keys).isEqualTo(50);
    for (int i = 0; i < 50; i++) {
      Reply r = cluster.call(newPod, new Request.Get("k" + i, CausalContext.none()));
      assertThat(r).as("k" + i).isInstanceOf(Reply.Kv.class);
    }
  }
}
