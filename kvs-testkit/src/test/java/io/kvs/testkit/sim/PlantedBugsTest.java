package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.Frames;
import io.kvs.core.Node;
import io.kvs.core.NodeSettings;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.core.Storage;
import io.kvs.core.StoredValue;
import io.kvs.testkit.check.ConvergenceChecker;
import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.MembershipChecker;
import io.kvs.testkit.check.PlacementChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import java.util.List;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * Each checker must catch the bug it exists for: every test plants one (through the injected
 * storage, network or a faulty client) and runs a control without it.
 */
class PlantedBugsTest {
  private static List<String> membersOf(SimCluster cluster, String key) {
    Node any = cluster.node(cluster.addresses().get(0));
    return any.shardMap().members(any.shardMap().shardForKey(key));
  }

  private static List<Violation> staleReadScenario(boolean bug) {
    SimCluster cluster = SimCluster.builder(101).build();
    settle(cluster);
    List<String> members = membersOf(cluster, "x");
    cluster.network().partition(List.of(members.get(2)), members.subList(0, 2));
    RecordingClient client = new RecordingClient(cluster, bug);
    client.put(0, members.get(0), "x", "\"a\"");
    client.put(0, members.get(0), "x", "\"b\"");
    client.get(0, members.get(2), "x");
    return new SessionCausalityChecker().check(client.history.operations());
  }

  @Test
  void sessionCausalityCatchesAReadThatIgnoresMetadata() {
    assertThat(staleReadScenario(true)).isNotEmpty();
    assertThat(staleReadScenario(false)).isEmpty();
  }

  private static List<Violation> lostWriteScenario(boolean bug) {
    NodeSettings noAntiEntropy = NodeSettings.defaults().with("KVS_ANTI_ENTROPY_INTERVAL_MS", 1_000_000_000L);
    SimCluster cluster = SimCluster.builder(102).settings(noAntiEntropy).build();
    settle(cluster);
    List<String> members = membersOf(cluster, "x");
    RecordingClient client = new RecordingClient(cluster, false);
    client.put(0, members.get(0), "x", "\"a\"");
    if (bug) {
      cluster.network().filter((from, to, frame) -> !Frames.kind(frame).equals("Replicate"));
    }
    client.put(0, members.get(0), "x", "\"b\"");
    cluster.crash(members.get(0));
    cluster.run(1_000);
    client.ctx = CausalContext.none();
    client.get(9, members.get(1), "x");
    return new DurabilityChecker().check(client.history.operations());
  }

  @Test
  void durabilityCatchesReplicationThatSkipsTheReplicas() {
    assertThat(lostWriteScenario(true)).singleElement()
        .satisfies(v -> assertThat(v.message()).contains("is lost"));
    assertThat(lostWriteScenario(false)).isEmpty();
  }

  /** Storage that silently drops puts of one key, or keeps keys it was told to forget. */
  private static Storage faulty(String dropKey, boolean neverForgets) {
    Storage heap = Storage.inMemory();
    return new Storage() {
      @Override
      public StoredValue get(String key) {
        return heap.get(key);
      }

      @Override
      public void put(String key, StoredValue value) {
        if (!key.equals(dropKey)) {
          heap.put(key, value);
        }
      }

      @Override
      public void remove(String key) {
        if (!neverForgets) {
          heap.remove(key);
        }
      }

      @Override
      public void forEach(BiConsumer<String, StoredValue> visitor) {
        heap.forEach(visitor);
      }

      @Override
      public int size() {
        return heap.size();
      }

      @Override
      public void clear() {
        if (!neverForgets) {
          heap.clear();
        }
      }
    };
  }

  private static List<Violation> divergenceScenario(boolean bug) {
    List<String> members = membersOf(SimCluster.builder(103).build(), "x");
    String victim = members.get(2);
    SimCluster cluster = SimCluster.builder(103)
        .storage(a -> a.equals(victim) && bug ? faulty("x", false) : Storage.inMemory()).build();
    settle(cluster);
    SimSession s = cluster.session(members.get(0));
    for (int i = 0; i < 30; i++) {
      s.putJson("x", Integer.toString(i));
      s.putJson("k" + i, "1");
    }
    cluster.run(20_000);
    return new ConvergenceChecker().check(cluster.liveAddresses().stream().map(cluster::node).toList());
  }

  @Test
  void convergenceCatchesAReplicaThatLosesWrites() {
    List<Violation> found = divergenceScenario(true);
    assertThat(found).isNotEmpty();
    assertThat(found.get(0).message()).contains("key x");
    assertThat(divergenceScenario(false)).isEmpty();
  }

  private static List<Violation> placementScenario(boolean bug) {
    SimCluster cluster = SimCluster.builder(104).storage(a -> faulty("", bug)).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < 50; i++) {
      s.putJson("k" + i, "1");
    }
    assertThat(cluster.call(cluster.addresses().get(0), new Request.Reshard(3))).isEqualTo(new Reply.Ok(Reply.Done.RESHARDED));
    settle(cluster);
    return new PlacementChecker().check(cluster.liveAddresses().stream().map(cluster::node).toList());
  }

  @Test
  void placementCatchesANodeThatKeepsKeysItNoLongerOwns() {
    assertThat(placementScenario(true)).isNotEmpty();
    assertThat(placementScenario(false)).isEmpty();
  }

  private static List<Violation> membershipScenario(boolean bug) {
    SimCluster cluster = SimCluster.builder(105).build();
    settle(cluster);
    String deaf = cluster.addresses().get(3);
    if (bug) {
      cluster.network().filter((from, to, frame) -> !(to.equals(deaf) && Frames.kind(frame).equals("Gossip")));
    }
    cluster.run(30_000);
    return new MembershipChecker().check(cluster.liveAddresses().stream().map(cluster::node).toList(),
        cluster.liveAddresses());
  }

  @Test
  void membershipCatchesANodeThatStopsHearingGossip() {
    assertThat(membershipScenario(true)).isNotEmpty();
    assertThat(membershipScenario(false)).isEmpty();
  }
}
