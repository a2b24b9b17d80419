package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.keyCount;
import static io.kvs.testkit.sim.SimTestSupport.settle;
import static io.kvs.testkit.sim.SimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.Frames;
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
      s.putJson("key" + i, Integer.toString(i));
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

  private static void writeKeys(SimSession s, int n) {
    for (int i = 0; i < n; i++) {
      s.putJson("key" + i, Integer.toString(i));
    }
  }

  private static void assertEveryKeyReadable(SimCluster cluster, int n) {
    SimSession fresh = cluster.session();
    for (int i = 0; i < n; i++) {
      assertThat(text(fresh.get("key" + i))).isEqualTo(Integer.toString(i));
    }
  }

  @Test
  void aNodeThatCrashesBeforeAnsweringIsLeftOutAndTheReshardCompletes() {
    SimCluster cluster = SimCluster.builder(34).build();
    settle(cluster);
    writeKeys(cluster.session(), 100);
    Reply[] reshard = {null};
    cluster.node(cluster.addresses().get(0)).submit(new Request.Reshard(2), r -> reshard[0] = r);
    cluster.crash(cluster.addresses().get(4));
    cluster.runUntil(() -> reshard[0] != null, 60_000);
    assertThat(reshard[0]).isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    assertThat(cluster.node(cluster.addresses().get(0)).shardMap().members(0)).doesNotContain(cluster.addresses().get(4));
    assertEveryKeyReadable(cluster, 100);
    cluster.restart(cluster.addresses().get(4));
    settle(cluster);
    assertEveryKeyReadable(cluster, 100);
  }

  @Test
  void aNodeThatCrashesBeforeInstallingDoesNotHalfApplyTheReshard() {
    SimCluster cluster = SimCluster.builder(35).build();
    settle(cluster);
    writeKeys(cluster.session(), 100);
    String victim = cluster.addresses().get(3);
    // The victim answers the prepare, then crashes before the install reaches it.
    cluster.network().filter((from, to, frame) -> {
      if (to.equals(victim) && Frames.kind(frame).equals("ReshardInstall")) {
        cluster.scheduler().schedule(0, () -> cluster.crash(victim));
        return false;
      }
      return true;
    });
    Reply[] reshard = {null};
    cluster.node(cluster.addresses().get(0)).submit(new Request.Reshard(3), r -> reshard[0] = r);
    cluster.runUntil(() -> reshard[0] != null, 60_000);
    assertThat(reshard[0]).as("every new shard has an installed member").isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    cluster.network().filter((from, to, frame) -> true);
    for (String a : cluster.liveAddresses()) {
      assertThat(cluster.node(a).shardMap().shardCount()).as("new epoch at %s", a).isEqualTo(3);
    }
    assertEveryKeyReadable(cluster, 100);
    cluster.restart(victim);
    settle(cluster);
    assertEveryKeyReadable(cluster, 100);
    assertThat(cluster.node(victim).shardMap().shardCount()).isEqualTo(3);
  }

  @Test
  void readsAreServedWhileAReshardCollectsData() {
    SimCluster cluster = SimCluster.builder(36).build();
    settle(cluster);
    writeKeys(cluster.session(), 20);
    // Data messages to the coordinator are held back, so the reshard stays in its pause.
    String coordinator = cluster.addresses().get(0);
    cluster.network().filter((from, to, frame) -> !Frames.kind(frame).equals("ReshardData"));
    cluster.node(coordinator).submit(new Request.Reshard(3), r -> {});
    cluster.run(500);
    SimSession reader = cluster.session(cluster.addresses().get(2));
    assertThat(text(reader.get("key1"))).isEqualTo("1");
    Reply[] write = {null};
    cluster.node(cluster.addresses().get(2)).submit(
        new Request.Put("key1", "\"x\"".getBytes(java.nio.charset.StandardCharsets.UTF_8), reader.context()),
        r -> write[0] = r);
    cluster.run(1_000);
    assertThat(write[0]).as("writes wait for the reshard").isNull();
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
      Reply r = s.putJson("w" + i, Integer.toString(i));
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
