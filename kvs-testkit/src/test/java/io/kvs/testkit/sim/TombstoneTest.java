package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.Node;
import io.kvs.core.NodeSettings;
import io.kvs.core.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deletes stay deleted, and their tombstones are eventually collected. */
class TombstoneTest {
  private static final NodeSettings SHORT_GRACE = NodeSettings.defaults().with("KVS_TOMBSTONE_GRACE_MS", 5_000);

  private static boolean storedAnywhere(SimCluster cluster, String key) {
    return cluster.liveAddresses().stream().anyMatch(a -> cluster.node(a).storedVersions().containsKey(key));
  }

  @Test
  void tombstonesAreCollectedOnEveryReplicaAfterTheGracePeriod() {
    SimCluster cluster = SimCluster.builder(51).settings(SHORT_GRACE).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < 20; i++) {
      s.putJson("k" + i, "1");
    }
    for (int i = 0; i < 10; i++) {
      assertThat(s.delete("k" + i)).isInstanceOf(Reply.Kv.class);
    }
    cluster.run(1_000);
    assertThat(storedAnywhere(cluster, "k0")).as("tombstone kept during the grace period").isTrue();
    boolean collected = cluster.runUntil(() -> !storedAnywhere(cluster, "k0") && !storedAnywhere(cluster, "k9"), 60_000, 500);
    assertThat(collected).isTrue();
    for (String a : cluster.addresses()) {
      for (int i = 0; i < 20; i++) {
        Reply r = cluster.session(a).get("k" + i);
        assertThat(r).as("k%d at %s", i, a).isInstanceOf(i < 10 ? Reply.KeyMissing.class : Reply.Kv.class);
      }
    }
  }

  @Test
  void aReplicaCutOffDuringTheDeleteNeverBringsTheKeyBack() {
    SimCluster cluster = SimCluster.builder(52).settings(SHORT_GRACE).build();
    settle(cluster);
    Node any = cluster.node(cluster.addresses().get(0));
    List<String> members = any.shardMap().members(any.shardMap().shardForKey("x"));
    SimSession s = cluster.session(members.get(0));
    s.putJson("x", "\"old\"");
    cluster.run(1_000);
    String cutOff = members.get(2);
    cluster.network().partition(List.of(cutOff), cluster.addresses().stream().filter(a -> !a.equals(cutOff)).toList());
    assertThat(s.delete("x")).isInstanceOf(Reply.Kv.class);
    cluster.run(30_000);
    assertThat(cluster.node(members.get(0)).storedVersions())
        .as("not collected while a replica that may hold the old value is unheard").containsKey("x");
    assertThat(cluster.node(cutOff).storedVersions().get("x").isTombstone()).isFalse();
    cluster.network().heal();
    boolean collected = cluster.runUntil(() -> !storedAnywhere(cluster, "x"), 60_000, 500);
    assertThat(collected).as("collected everywhere once the replica has the delete").isTrue();
    cluster.run(10_000);
    for (String a : cluster.addresses()) {
      assertThat(cluster.session(a).get("x")).as("x at %s", a).isInstanceOf(Reply.KeyMissing.class);
    }
  }
}
