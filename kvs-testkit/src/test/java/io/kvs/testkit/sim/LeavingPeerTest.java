package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A node that shuts down tells its peers, so their next writes do not wait for it; a crashed
 * node says nothing, so they wait up to the replication timeout (1 s by default) for it.
 */
class LeavingPeerTest {
  private static final Request PUT = new Request.Put("k", "1".getBytes(StandardCharsets.UTF_8), CausalContext.none());

  /** Virtual ms from submitting a write at {@code at} to its answer, which must be a success. */
  private static long writeMs(SimCluster cluster, String at) {
    long start = cluster.nowMs();
    Reply reply = cluster.call(at, PUT);
    assertThat(reply).isInstanceOf(Reply.Kv.class);
    return cluster.nowMs() - start;
  }

  private static SimCluster threeNodesOneShard(long seed) {
    SimCluster cluster = SimCluster.builder(seed).nodes(3).shards(1).build();
    settle(cluster);
    return cluster;
  }

  @Test
  void peersStopWaitingForANodeThatShutsDown() {
    SimCluster cluster = threeNodesOneShard(61);
    String writer = cluster.addresses().get(0);
    cluster.stop(cluster.addresses().get(2));
    cluster.run(50); // the goodbye's network delay
    assertThat(writeMs(cluster, writer)).isLessThan(100);
  }

  @Test
  void withoutAGoodbyeTheWriteWaitsForTheCrashedPeer() {
    SimCluster cluster = threeNodesOneShard(61);
    String writer = cluster.addresses().get(0);
    cluster.crash(cluster.addresses().get(2));
    cluster.run(50);
    assertThat(writeMs(cluster, writer)).isGreaterThanOrEqualTo(500);
  }

  @Test
  void aNodeThatComesBackIsWaitedForAgain() {
    SimCluster cluster = threeNodesOneShard(62);
    String writer = cluster.addresses().get(0);
    String leaver = cluster.addresses().get(2);
    cluster.stop(leaver);
    cluster.run(50);
    cluster.restart(leaver);
    settle(cluster);
    long[] keysAtLeaver = {-1};
    cluster.submit(writer, PUT, r -> keysAtLeaver[0] = cluster.node(leaver).localKeyCount());
    assertThat(cluster.runUntil(() -> keysAtLeaver[0] >= 0, 10_000)).isTrue();
    assertThat(keysAtLeaver[0]).as("the restarted node held the write before it was acknowledged").isEqualTo(1);
  }
}
