package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.keyCount;
import static io.kvs.testkit.sim.SimTestSupport.settle;
import static io.kvs.testkit.sim.SimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import org.junit.jupiter.api.Test;

class ReshardTest {
  private static final int KEYS = 300;

  @Test
  void reshardTwoToThreeToTwoKeepsEveryKeyAndAcceptsOldMetadata() {
    SimCluster cluster = SimCluster.builder(31).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < KEYS; i++) {
      s.put("key" + i, Integer.toString(i));
    }
    CausalContext beforeReshard = s.context();
    String coordinator = cluster.addresses().get(1);
    assertThat(cluster.call(coordinator, new Request.Reshard(3))).isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    assertPlacement(cluster, 3);
    SimSession old = cluster.session();
    for (int i = 0; i < KEYS; i++) {
      old.context(beforeReshard);
      assertThat(text(old.get("key" + i))).isEqualTo(Integer.toString(i));
    }
    assertThat(cluster.call(coordinator, new Request.Reshard(2))).isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    assertPlacement(cluster, 2);
    for (int i = 0; i < KEYS; i++) {
      old.context(beforeReshard);
      assertThat(text(old.get("key" + i))).isEqualTo(Integer.toString(i));
    }
  }

  private static void assertPlacement(SimCluster cluster, int shards) {
    settle(cluster);
    for (String a : cluster.addresses()) {
      assertThat(cluster.node(a).shardMap().shardCount()).isEqualTo(shards);
      long total = 0;
      for (int shard = 0; shard < shards; shard++) {
        assertThat(cluster.node(a).shardMap().members(shard)).hasSizeGreaterThanOrEqualTo(2);
        total += keyCount(cluster, a, shard);
      }
      assertThat(total).as("key counts at %s sum to the total", a).isEqualTo(KEYS);
    }
    for (String a : cluster.addresses()) {
      int shard = cluster.node(a).shardId().getAsInt();
      assertThat(cluster.node(a).localKeyCount()).as("every member of shard %d holds its keys", shard)
          .isEqualTo(keyCount(cluster, cluster.addresses().get(0), shard));
    }
  }

  @Test
  void reshardNeedsTwoNodesPerShard() {
    SimCluster cluster = SimCluster.builder(32).build();
    settle(cluster);
    assertThat(cluster.call(cluster.addresses().get(0), new Request.Reshard(4)))
        .isEqualTo(new Reply.Failed(KvsError.NOT_ENOUGH_NODES));
    assertThat(cluster.node(cluster.addresses().get(0)).shardMap().shardCount()).isEqualTo(2);
  }

  @Test
  void writesDuringAReshardAreNotLost() {
    SimCluster cluster = SimCluster.builder(33).build();
    settle(cluster);
    SimSession s = cluster.session();
    Reply[] reshard = {null};
    cluster.node(cluster.addresses().get(0)).submit(new Request.Reshard(3), r -> reshard[0] = r);
    int acked = 0;
    for (int i = 0; i < 50; i++) {
      Reply r = s.put("w" + i, Integer.toString(i));
      if (r instanceof Reply.Kv) {
        acked++;
      } else {
        assertThat(r).isIn(new Reply.Failed(KvsError.BUSY), new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
        i--;
      }
    }
    cluster.runUntil(() -> reshard[0] != null, 60_000);
    assertThat(reshard[0]).isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    settle(cluster);
    for (int i = 0; i < 50; i++) {
      assertThat(text(s.get("w" + i))).isEqualTo(Integer.toString(i));
    }
    assertThat(acked).isEqualTo(50);
  }
}
