package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.keyCount;
import static io.kvs.testkit.sim.SimTestSupport.settle;
import static io.kvs.testkit.sim.SimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.KvsError;
import io.kvs.core.Node;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {
  @Test
  void viewAddAndDeleteReachEveryNode() {
    SimCluster cluster = SimCluster.builder(21).build();
    settle(cluster);
    String first = cluster.addresses().get(0);
    String gone = cluster.addresses().get(5);
    assertThat(cluster.call(first, new Request.AddToView(gone))).isEqualTo(new Reply.Ok(Reply.Done.VIEW_ALREADY_PRESENT));
    assertThat(cluster.call(first, new Request.RemoveFromView(gone))).isEqualTo(new Reply.Ok(Reply.Done.VIEW_DELETED));
    assertThat(cluster.call(first, new Request.RemoveFromView(gone))).isEqualTo(new Reply.Failed(KvsError.NO_SUCH_REPLICA));
    cluster.run(3_000);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).view()).as("view at %s", a).doesNotContain(gone);
    }
    cluster.run(20_000);
    assertThat(cluster.node(first).view()).as("a deleted node stays deleted").doesNotContain(gone);
    assertThat(cluster.call(first, new Request.AddToView(gone))).isEqualTo(new Reply.Ok(Reply.Done.VIEW_ADDED));
    cluster.run(3_000);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).view()).as("view at %s", a).contains(gone);
    }
  }

  @Test
  void lateJoinerAppearsInEveryViewAndAddMemberTransfersTheShardsData() {
    SimCluster cluster = SimCluster.builder(22).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < 200; i++) {
      s.putJson("key" + i, Integer.toString(i));
    }
    String joiner = SimCluster.addressOf(6);
    List<String> view = new ArrayList<>(cluster.addresses());
    view.add(joiner);
    cluster.startNode(joiner, view, null);
    settle(cluster);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).view()).as("view at %s", a).contains(joiner);
    }
    assertThat(cluster.node(joiner).shardId()).isEmpty();
    assertThat(cluster.call(joiner, new Request.AddMember(1, joiner))).isEqualTo(new Reply.Ok(Reply.Done.MEMBER_ADDED));
    settle(cluster);
    long expected = keyCount(cluster, cluster.addresses().get(0), 1);
    assertThat(cluster.node(joiner).shardId()).hasValue(1);
    assertThat(cluster.node(joiner).localKeyCount()).as("data transferred to the new member").isEqualTo(expected);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).shardMap().members(1)).contains(joiner);
      assertThat(keyCount(cluster, a, 1)).isEqualTo(expected);
    }
    for (int i = 0; i < 200; i++) {
      assertThat(text(s.get(joiner, "key" + i))).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void addMemberErrors() {
    SimCluster cluster = SimCluster.builder(23).build();
    settle(cluster);
    String a = cluster.addresses().get(0);
    assertThat(cluster.call(a, new Request.AddMember(7, a))).isEqualTo(new Reply.Failed(KvsError.NO_SUCH_SHARD));
    assertThat(cluster.call(a, new Request.AddMember(0, "10.9.9.9:8090"))).isEqualTo(new Reply.Failed(KvsError.NO_SUCH_REPLICA));
    assertThat(cluster.call(a, new Request.KeyCount(9))).isEqualTo(new Reply.Failed(KvsError.NO_SUCH_SHARD));
  }

  @Test
  void crashedNodeLeavesEveryViewAndRestartedNodeRejoinsItsShardWithItsData() {
    SimCluster cluster = SimCluster.builder(24).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < 100; i++) {
      s.putJson("key" + i, Integer.toString(i));
    }
    String victim = cluster.addresses().get(2);
    int shard = cluster.node(victim).shardId().getAsInt();
    cluster.crash(victim);
    long crashedAt = cluster.nowMs();
    boolean removed = cluster.runUntil(() -> cluster.liveAddresses().stream()
        .noneMatch(a -> cluster.node(a).view().contains(victim)), 30_000);
    assertThat(removed).isTrue();
    assertThat(cluster.nowMs() - crashedAt).as("removed within 10 s").isLessThanOrEqualTo(10_000);
    for (int i = 0; i < 100; i++) {
      assertThat(text(s.get("key" + i))).isEqualTo(Integer.toString(i));
      s.putJson("key" + i, Integer.toString(i + 1000));
    }
    Node back = cluster.restart(victim);
    long restartedAt = cluster.nowMs();
    boolean rejoined = cluster.runUntil(() -> back.caughtUp() && cluster.liveAddresses().stream()
        .allMatch(a -> cluster.node(a).view().contains(victim)), 30_000);
    assertThat(rejoined).isTrue();
    assertThat(cluster.nowMs() - restartedAt).as("back within 5 s").isLessThanOrEqualTo(5_000);
    assertThat(back.shardId()).hasValue(shard);
    settle(cluster);
    assertThat(back.localKeyCount()).isEqualTo(keyCount(cluster, cluster.addresses().get(0), shard));
    SimSession fresh = cluster.session(victim);
    for (int i = 0; i < 100; i++) {
      assertThat(text(fresh.get("key" + i))).isEqualTo(Integer.toString(i + 1000));
    }
  }

  @Test
  void clusterStartedWithoutShardCountIsOneReplicatedShard() {
    SimCluster cluster = SimCluster.builder(25).nodes(3).shards(null).build();
    settle(cluster);
    for (String a : cluster.addresses()) {
      Node n = cluster.node(a);
      assertThat(n.shardMap().shardCount()).isEqualTo(1);
      assertThat(n.shardMap().members(0)).containsExactlyElementsOf(cluster.addresses());
      assertThat(n.shardId()).hasValue(0);
    }
    SimSession s = cluster.session();
    s.putJson("a", "1");
    cluster.run(1_000);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).localKeyCount()).isEqualTo(1);
    }
    String joiner = SimCluster.addressOf(3);
    List<String> view = new ArrayList<>(cluster.addresses());
    view.add(joiner);
    cluster.startNode(joiner, view, null);
    settle(cluster);
    assertThat(cluster.node(joiner).shardId()).as("joins the only shard by itself").hasValue(0);
    assertThat(cluster.node(joiner).localKeyCount()).isEqualTo(1);
  }
}
