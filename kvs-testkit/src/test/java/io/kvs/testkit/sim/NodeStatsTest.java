package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.Frames;
import io.kvs.core.KvsError;
import io.kvs.core.Node;
import io.kvs.core.NodeSettings;
import io.kvs.core.NodeStats;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The counters of {@link Node#stats()} move when, and only when, the events they count happen:
 * each test provokes one kind of event in a simulated cluster and reads the counts before and
 * after.
 */
class NodeStatsTest {

  private static List<String> shardMembers(SimCluster cluster) {
    Node any = cluster.node(cluster.addresses().get(0));
    return any.shardMap().members(0);
  }

  @Test
  void aWriteCoordinatedHereIsCopiedToEachPeerAndEachAcknowledgementIsARoundTrip() {
    SimCluster cluster = SimCluster.builder(71).nodes(3).shards(1).build();
    settle(cluster);
    String coordinator = shardMembers(cluster).get(0);
    NodeStats.Replication before = cluster.node(coordinator).stats().replication();

    Reply put = cluster.call(coordinator, new Request.Put("x", bytes("1"), CausalContext.none()));
    cluster.run(100);

    NodeStats.Replication after = cluster.node(coordinator).stats().replication();
    assertThat(put).isInstanceOf(Reply.Kv.class);
    assertThat(after.copies() - before.copies()).as("one copy per shard peer").isEqualTo(2);
    assertThat(after.acks() - before.acks()).as("both peers acknowledged").isEqualTo(2);
    assertThat(after.retries() - before.retries()).as("no copy was lost").isZero();
  }

  @Test
  void aCopyThatGetsNoAcknowledgementIsRetriedAndTheWriteTimesOut() {
    SimCluster cluster = SimCluster.builder(72).nodes(3).shards(1).build();
    settle(cluster);
    List<String> members = shardMembers(cluster);
    String coordinator = members.get(0);
    String deaf = members.get(1);
    cluster.network().filter((from, to, frame) -> !(to.equals(deaf) && Frames.kind(frame).equals("Replicate")));
    NodeStats.Replication before = cluster.node(coordinator).stats().replication();

    cluster.call(coordinator, new Request.Put("x", bytes("1"), CausalContext.none()));
    cluster.run(100);

    NodeStats.Replication after = cluster.node(coordinator).stats().replication();
    assertThat(after.retries() - before.retries()).as("the lost copy went again").isPositive();
    assertThat(after.timeouts() - before.timeouts()).as("the write waited the timeout for it").isEqualTo(1);
  }

  @Test
  void aSilentPeerIsSuspectedOnceAndThenRemoved() {
    SimCluster cluster = SimCluster.builder(73).nodes(3).shards(1).build();
    settle(cluster);
    String watcher = cluster.addresses().get(0);
    String victim = cluster.addresses().get(2);
    assertThat(cluster.node(watcher).stats().suspicions()).as("a settled cluster suspects nobody").isZero();

    cluster.crash(victim);
    boolean removed = cluster.runUntil(() -> !cluster.node(watcher).view().contains(victim), 60_000);
    cluster.run(NodeSettings.defaults().removeAfterMs());

    NodeStats stats = cluster.node(watcher).stats();
    assertThat(removed).isTrue();
    assertThat(stats.suspicions()).as("one suspicion, however many heartbeats it lasted").isEqualTo(1);
    long removals = cluster.liveAddresses().stream().mapToLong(a -> cluster.node(a).stats().removals()).sum();
    assertThat(removals).as("some live node's failure detection removed it").isPositive();
  }

  @Test
  void antiEntropyCountsTheKeysItRepaired() {
    SimCluster cluster = SimCluster.builder(74).nodes(3).shards(1).build();
    settle(cluster);
    List<String> members = shardMembers(cluster);
    String behind = members.get(2);
    cluster.network().filter((from, to, frame) -> !(to.equals(behind) && Frames.kind(frame).equals("Replicate")));
    NodeStats.Repair before = cluster.node(behind).stats().repair();

    for (String key : List.of("a", "b", "c")) {
      cluster.call(members.get(0), new Request.Put(key, bytes("1"), CausalContext.none()));
    }
    boolean repaired = cluster.runUntil(() -> cluster.node(behind).storedVersions().keySet()
        .containsAll(List.of("a", "b", "c")), 30_000);

    NodeStats.Repair after = cluster.node(behind).stats().repair();
    assertThat(repaired).isTrue();
    assertThat(after.rounds()).isGreaterThan(before.rounds());
    assertThat(after.syncRepairedKeys() - before.syncRepairedKeys()).as("three keys came by anti-entropy").isEqualTo(3);
  }

  @Test
  void aReadWaitingForAMissingDependencyPullsAndItsFailureIsCountedByCause() {
    NodeSettings settings = NodeSettings.defaults().with("KVS_ANTI_ENTROPY_INTERVAL_MS", 600_000);
    SimCluster cluster = SimCluster.builder(75).nodes(3).shards(1).settings(settings).build();
    settle(cluster);
    List<String> members = shardMembers(cluster);
    String behind = members.get(2);
    cluster.network().filter((from, to, frame) -> !to.equals(behind) || Frames.kind(frame).equals("Gossip"));
    Reply put = cluster.call(members.get(0), new Request.Put("x", bytes("1"), CausalContext.none()));
    NodeStats before = cluster.node(behind).stats();

    Reply read = cluster.call(behind, new Request.Get("x", ((Reply.Kv) put).context()));

    NodeStats after = cluster.node(behind).stats();
    assertThat(read).isEqualTo(new Reply.Failed(KvsError.DEPENDENCIES_UNSATISFIED));
    assertThat(after.failures(KvsError.DEPENDENCIES_UNSATISFIED)
        - before.failures(KvsError.DEPENDENCIES_UNSATISFIED)).isEqualTo(1);
    assertThat(after.repair().pulls() - before.repair().pulls()).as("one pull per shard peer").isEqualTo(2);
  }

  @Test
  void aKeyRequestAndItsMetadataAreCountedOnceThoughItWaitedAndWasRetried() {
    NodeSettings patient = NodeSettings.defaults().with("KVS_DEPENDENCY_WAIT_MS", 5_000);
    SimCluster cluster = SimCluster.builder(77).nodes(3).shards(1).settings(patient).build();
    settle(cluster);
    List<String> members = shardMembers(cluster);
    String behind = members.get(2);
    boolean[] cut = {true};
    cluster.network().filter((from, to, frame) -> !cut[0] || !to.equals(behind) || Frames.kind(frame).equals("Gossip"));
    Reply put = cluster.call(members.get(0), new Request.Put("x", bytes("1"), CausalContext.none()));
    NodeStats before = cluster.node(behind).stats();

    Reply[] read = {null};
    cluster.submit(behind, new Request.Get("x", ((Reply.Kv) put).context()), r -> read[0] = r);
    cluster.run(5);
    cut[0] = false; // the write's copy arrives (re-sent) and the waiting read is dispatched again
    cluster.runUntil(() -> read[0] != null, 10_000);

    NodeStats after = cluster.node(behind).stats();
    assertThat(read[0]).isInstanceOf(Reply.Kv.class);
    assertThat(after.keyRequests() - before.keyRequests()).as("counted once, though retried").isEqualTo(1);
    assertThat(after.requestContextEntries() - before.requestContextEntries())
        .as("the read carried one writer's counter").isEqualTo(1);
  }

  @Test
  void sizesCountLiveKeysAndTombstonesOfThisNodesShard() {
    SimCluster cluster = SimCluster.builder(76).nodes(3).shards(1).build();
    settle(cluster);
    SimSession s = cluster.session();
    s.putJson("a", "1");
    s.putJson("b", "2");
    s.delete("b");
    cluster.run(100);

    for (String a : cluster.addresses()) {
      NodeStats.Sizes sizes = cluster.node(a).stats().sizes();
      assertThat(sizes.shard()).isZero();
      assertThat(sizes.liveKeys()).as(a).isEqualTo(1);
      assertThat(sizes.tombstones()).as(a).isEqualTo(1);
      assertThat(sizes.dependencyEntries()).as("%s: the writes' dependencies name one writer", a).isPositive();
    }
  }

  private static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }
}
