package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Node;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pitfall: a write acknowledged by a single replica (its peers cut off) whose replica then
 * crashes for good. Metadata depending on it must not answer 503 forever.
 */
class LostDependencyTest {
  @Test
  void aRestartedWritersLostWritesAreGivenUpOnceEveryLiveMemberHasSynced() {
    SimCluster cluster = SimCluster.builder(42).build();
    settle(cluster);
    Node any = cluster.node(cluster.addresses().get(0));
    List<String> members = any.shardMap().members(any.shardMap().shardForKey("x"));
    String doomed = members.get(0);
    SimSession s = cluster.session(doomed);
    cluster.network().partition(List.of(doomed), cluster.addresses().stream().filter(a -> !a.equals(doomed)).toList());
    assertThat(s.putJson("x", "\"lost\"")).isInstanceOf(Reply.Kv.class);
    Request read = new Request.Get("x", s.context());
    cluster.restart(doomed);
    cluster.network().heal();
    long restartedAt = cluster.nowMs();
    boolean served = cluster.runUntil(
        () -> members.stream().allMatch(m -> cluster.call(m, read) instanceof Reply.KeyMissing), 30_000, 500);
    assertThat(served).as("every member serves the metadata again, the write counted as lost").isTrue();
    assertThat(cluster.nowMs() - restartedAt).isLessThan(15_000);
  }

  @Test
  void metadataOnAWriteThatDiedWithItsOnlyReplicaIsServedAgainOnceEveryLiveMemberAgrees() {
    SimCluster cluster = SimCluster.builder(41).build();
    settle(cluster);
    Node any = cluster.node(cluster.addresses().get(0));
    List<String> members = any.shardMap().members(any.shardMap().shardForKey("x"));
    String doomed = members.get(0);
    SimSession s = cluster.session(doomed);
    s.putJson("x", "\"before\"");
    cluster.run(1_000);
    cluster.network().partition(List.of(doomed), cluster.addresses().stream().filter(a -> !a.equals(doomed)).toList());
    assertThat(s.putJson("x", "\"only on the doomed replica\"")).isInstanceOf(Reply.Kv.class);
    CausalContext dependsOnLostWrite = s.context();
    cluster.crash(doomed);
    cluster.network().heal();

    Request read = new Request.Get("x", dependsOnLostWrite);
    assertThat(cluster.call(members.get(1), read)).isEqualTo(new Reply.Failed(KvsError.DEPENDENCIES_UNSATISFIED));
    long crashedAt = cluster.nowMs();
    cluster.run(20_000);
    assertThat(cluster.call(members.get(1), read))
        .as("a node out of the view for a while may only be cut off: still waiting for its writes")
        .isEqualTo(new Reply.Failed(KvsError.DEPENDENCIES_UNSATISFIED));
    boolean served = cluster.runUntil(() -> cluster.call(members.get(1), read) instanceof Reply.Kv
        && cluster.call(members.get(2), read) instanceof Reply.Kv, 90_000, 1_000);
    assertThat(served).as("served again once the writer is presumed crashed").isTrue();
    assertThat(cluster.nowMs() - crashedAt).isLessThan(90_000);
    Reply.Kv kv = (Reply.Kv) cluster.call(members.get(2), read);
    assertThat(new String(kv.value(), StandardCharsets.UTF_8)).isEqualTo("\"before\"");
  }
}
