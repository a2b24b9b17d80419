package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.Frames;
import io.kvs.core.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Anti-entropy repairs a replica by sending the versions it lacks, not whole buckets: under
 * write load every bucket differs for a moment, and shipping buckets meant shipping the
 * shard every round.
 */
class AntiEntropyTrafficTest {
  private static final int KEYS = 640;
  private static final String VALUE = "\"" + "v".repeat(200) + "\"";

  @Test
  void aReplicaMissingOneWriteIsSentThatWriteAlone() {
    SimCluster cluster = SimCluster.builder(61).nodes(3).shards(1).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < KEYS; i++) {
      s.put("k" + i, VALUE);
    }
    cluster.run(5_000);
    Node any = cluster.node(cluster.addresses().get(0));
    List<String> members = any.shardMap().members(any.shardMap().shardForKey("x"));
    String behind = members.get(2);
    List<Integer> repairSizes = new ArrayList<>();
    cluster.network().filter((from, to, frame) -> {
      String kind = Frames.kind(frame);
      if (to.equals(behind) && kind.equals("SyncReply")) {
        repairSizes.add(frame.length);
      }
      // the replica learns of the write only through anti-entropy
      return !(to.equals(behind) && kind.equals("Replicate"));
    });

    cluster.session(members.get(0)).put("x", VALUE);
    boolean repaired = cluster.runUntil(() -> cluster.node(behind).storedVersions().containsKey("x"), 30_000);

    assertThat(repaired).as("anti-entropy brings the write").isTrue();
    // one 200-byte version plus the sender's dots, where x's bucket alone holds about ten versions
    assertThat(repairSizes).isNotEmpty().allSatisfy(size -> assertThat(size).isLessThan(1_000));
  }
}
