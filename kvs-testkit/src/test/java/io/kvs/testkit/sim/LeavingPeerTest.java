package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.DurabilitySettings;
import io.kvs.core.Frames;
import io.kvs.core.KvsError;
import io.kvs.core.NodeSettings;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

  private static boolean isGoodbye(byte[] frame) {
    return Frames.kind(frame).equals("Leaving");
  }

  @Test
  void aWriteAlreadyWaitingForThePeerIsAnsweredWhenThePeerSaysGoodbye() {
    SimCluster cluster = threeNodesOneShard(63);
    String writer = cluster.addresses().get(0);
    String leaver = cluster.addresses().get(2);
    // the leaver never gets the write's copy, so the write waits for it
    cluster.network().filter((from, to, frame) -> !(from.equals(writer) && to.equals(leaver) && !isGoodbye(frame)));
    // the write also finishes when it re-sends its copy (every quarter of the replication
    // timeout) and finds the peer suspected: stop the peer just after a re-send, and look
    // before the next one, so only the goodbye itself can answer the write
    long resendMs = NodeSettings.defaults().replicationTimeoutMs() / 4;
    Reply[] reply = {null};
    cluster.submit(writer, PUT, r -> reply[0] = r);
    cluster.run(resendMs + 10);
    assertThat(reply[0]).as("waiting for the leaver's copy").isNull();
    cluster.stop(leaver);
    cluster.run(resendMs / 2);
    assertThat(reply[0]).isInstanceOf(Reply.Kv.class);
  }

  @Test
  void aLateGoodbyeOfAnEarlierRunDoesNotStopPeersWaitingForTheNewRun() {
    SimCluster cluster = threeNodesOneShard(64);
    String writer = cluster.addresses().get(0);
    String leaver = cluster.addresses().get(2);
    List<byte[]> goodbyes = new ArrayList<>();
    cluster.network().filter((from, to, frame) -> {
      if (from.equals(leaver) && to.equals(writer) && isGoodbye(frame)) {
        goodbyes.add(frame);
      }
      return true;
    });
    cluster.stop(leaver);
    cluster.run(50);
    cluster.restart(leaver);
    settle(cluster);
    assertThat(goodbyes).hasSize(1);
    // the new run's acknowledgements are lost, so a writer still waiting for it stays
    // unanswered; so are its heartbeats (those in flight land first), which would otherwise
    // undo a wrongly taken goodbye
    cluster.network().filter((from, to, frame) -> !(from.equals(leaver)
        && (Frames.kind(frame).equals("ReplicateAck") || Frames.kind(frame).equals("Gossip"))));
    cluster.run(10);
    cluster.node(writer).receive(leaver, goodbyes.get(0)); // the old run's goodbye, delivered again
    Reply[] reply = {null};
    cluster.submit(writer, PUT, r -> reply[0] = r);
    cluster.run(NodeSettings.defaults().replicationTimeoutMs() / 8);
    assertThat(reply[0]).as("the writer waits for the new run's copy").isNull();
  }

  @Test
  void aNodeThatSaidGoodbyeStaysInTheViewUntilFailureDetectionRemovesIt() {
    SimCluster cluster = threeNodesOneShard(66);
    String writer = cluster.addresses().get(0);
    String leaver = cluster.addresses().get(2);
    cluster.stop(leaver);
    cluster.run(NodeSettings.defaults().suspectAfterMs());
    assertThat(cluster.node(writer).view()).contains(leaver);
    cluster.run(NodeSettings.defaults().removeAfterMs());
    assertThat(cluster.node(writer).view()).doesNotContain(leaver);
  }

  @Test
  void aGoodbyeNeverLowersTheReplicasAWriteNeeds() {
    SimCluster cluster = SimCluster.builder(65).nodes(3).shards(1)
        .dataDirectories(DurabilitySettings.defaults().withMinAckReplicas(2)).build();
    settle(cluster);
    String writer = cluster.addresses().get(0);
    cluster.stop(cluster.addresses().get(1));
    cluster.stop(cluster.addresses().get(2));
    cluster.run(50);
    assertThat(cluster.call(writer, PUT)).isEqualTo(new Reply.Failed(KvsError.TOO_FEW_REPLICAS));
  }
}
