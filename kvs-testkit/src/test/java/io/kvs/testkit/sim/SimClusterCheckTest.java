package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.core.CausalContext;
import io.kvs.core.Node;
import io.kvs.testkit.check.CheckResult;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.history.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What SimCluster records by default and what its one-call check finds. */
class SimClusterCheckTest {
  private static List<String> membersOf(SimCluster cluster, String key) {
    Node any = cluster.node(cluster.addresses().get(0));
    return any.shardMap().members(any.shardMap().shardForKey(key));
  }

  @Test
  void sessionsRecordEveryOperationIntoTheHistory() {
    SimCluster cluster = SimCluster.builder(5).build();
    SimSession alice = cluster.session();
    SimSession bob = cluster.session();
    alice.put("x", "hello");
    assertThat(bob.get("x", String.class)).contains("hello");
    bob.delete("x");
    List<Operation> ops = cluster.history().operations();
    assertThat(ops).extracting(Operation::kind)
        .containsExactly(Operation.Kind.PUT, Operation.Kind.GET, Operation.Kind.DELETE);
    assertThat(ops).extracting(Operation::session).containsExactly(alice.id(), bob.id(), bob.id());
    assertThat(ops.get(0).written()).isEqualTo("\"hello\"");
    assertThat(ops.get(1).read()).isEqualTo("\"hello\"");
    assertThat(ops).extracting(Operation::status).containsOnly(Operation.Status.OK);
    assertThat(cluster.check().ok()).isTrue();
  }

  @Test
  void recordingCanBeTurnedOff() {
    SimCluster cluster = SimCluster.builder(5).recordHistory(false).build();
    cluster.session().put("x", 1);
    assertThat(cluster.history().operations()).isEmpty();
  }

  /** A client that forgets its metadata reads a lagging replica: the one-call check must say so. */
  private static CheckResult staleReadRun(boolean forgetsMetadata) {
    SimCluster cluster = SimCluster.builder(101).build();
    settle(cluster);
    List<String> members = membersOf(cluster, "x");
    cluster.network().partition(List.of(members.get(2)), members.subList(0, 2));
    SimSession s = cluster.session();
    s.put(members.get(0), "x", "a");
    s.put(members.get(0), "x", "b");
    if (forgetsMetadata) {
      s.context(CausalContext.none());
    }
    s.get(members.get(2), "x");
    return cluster.check();
  }

  @Test
  void checkCatchesAPlantedStaleRead() {
    CheckResult planted = staleReadRun(true);
    assertThat(planted.ok()).isFalse();
    assertThat(planted.violations()).extracting(v -> v.checker()).contains(SessionCausalityChecker.NAME);
    assertThat(planted.report()).contains("stale read: x returned").contains("seed=101");
    CheckResult control = staleReadRun(false);
    assertThat(control.ok()).as(control.report()).isTrue();
  }

  @Test
  void assertConsistentFailsWithTheReport() {
    SimCluster cluster = SimCluster.builder(101).build();
    settle(cluster);
    List<String> members = membersOf(cluster, "x");
    cluster.network().partition(List.of(members.get(2)), members.subList(0, 2));
    SimSession s = cluster.session(members.get(0));
    s.put("x", "a");
    s.put("x", "b");
    s.context(CausalContext.none());
    s.get(members.get(2), "x");
    assertThatThrownBy(cluster::assertConsistent).isInstanceOf(AssertionError.class)
        .hasMessageContaining(SessionCausalityChecker.NAME + " violated (seed=101)");
  }

  @Test
  void valuesAreTypedOrValidatedJson() {
    SimCluster cluster = SimCluster.builder(6).build();
    SimSession s = cluster.session();
    record Point(int x, int y) {}
    s.put("p", new Point(1, 2));
    assertThat(s.getJson("p")).isEqualTo("{\"x\":1,\"y\":2}");
    s.putJson("n", "[1, 2]");
    assertThat(s.get("n", int[].class)).hasValueSatisfying(a -> assertThat(a).containsExactly(1, 2));
    assertThat(s.get("missing", String.class)).isEmpty();
    assertThatThrownBy(() -> s.putJson("x", "hello")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the value for x is not a JSON text: hello");
    assertThatThrownBy(() -> s.putJson("x", "1 2")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> s.putJson("x", " ")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the value for x is empty, not a JSON text");
    assertThatThrownBy(() -> s.put("x", new Object())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the value for x cannot be written as JSON");
    assertThatThrownBy(() -> s.get("p", Integer.class)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("the value of p is not a Integer");
  }

  @Test
  void sessionsWithoutAnAddressSkipCrashedAndPartitionedNodes() {
    SimCluster cluster = SimCluster.builder(7).build();
    settle(cluster);
    List<String> all = cluster.addresses();
    cluster.network().partition(List.of(all.get(0)), all.subList(1, 6));
    cluster.crash(all.get(3));
    assertThat(cluster.reachableAddresses()).containsExactly(all.get(1), all.get(2), all.get(4), all.get(5));
    SimSession s = cluster.session();
    for (int i = 0; i < 12; i++) {
      s.put("k" + i, i);
    }
    assertThat(cluster.history().operations()).extracting(Operation::node)
        .doesNotContain(all.get(0), all.get(3)).contains(all.get(1), all.get(2), all.get(4), all.get(5));
  }

  @Test
  void anEvenSplitGoesToTheGroupOfTheFirstNode() {
    SimCluster cluster = SimCluster.builder(8).build();
    List<String> all = cluster.addresses();
    cluster.network().partition(all.subList(3, 6), all.subList(0, 3));
    assertThat(cluster.reachableAddresses()).containsExactlyElementsOf(all.subList(0, 3));
    cluster.network().cut(all.get(1), all.get(2)); // one way cut: 2 is still reached through 0
    assertThat(cluster.reachableAddresses()).containsExactlyElementsOf(all.subList(0, 3));
  }
}
