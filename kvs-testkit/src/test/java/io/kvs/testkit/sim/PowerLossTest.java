package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.settle;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.DurabilitySettings;
import io.kvs.core.FsyncPolicy;
import io.kvs.core.Reply;
import io.kvs.testkit.check.ConvergenceChecker;
import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Data directories against power loss: every node of the cluster loses power at once, right
 * after its writes were acknowledged, and comes back from what its disk synced. Each test that
 * proves a checker catches a loss plants the bug (an fsync that lies, no disk at all).
 */
class PowerLossTest {
  private static final int KEYS = 40;

  private static SimClusterBuilder durable(long seed) {
    return SimCluster.builder(seed).dataDirectories(DurabilitySettings.defaults());
  }

  /** Writes every key through every node in turn, then cuts the power of every node at once. */
  private static RecordingClient writeThenLosePower(SimCluster cluster) {
    settle(cluster);
    RecordingClient client = new RecordingClient(cluster, false);
    List<String> nodes = cluster.addresses();
    for (int i = 0; i < KEYS; i++) {
      client.put(0, nodes.get(i % nodes.size()), "k" + i, "\"v" + i + "\"");
    }
    nodes.forEach(cluster::crash);
    nodes.forEach(cluster::restart);
    settle(cluster);
    cluster.run(5_000);
    return client;
  }

  private static List<Violation> lostAfterPowerLoss(SimCluster cluster) {
    RecordingClient client = writeThenLosePower(cluster);
    RecordingClient reader = new RecordingClient(cluster, false);
    for (int i = 0; i < KEYS; i++) {
      reader.get(1, cluster.addresses().get(i % 6), "k" + i);
    }
    List<io.kvs.testkit.history.Operation> all = new ArrayList<>(client.history.operations());
    all.addAll(reader.history.operations());
    return new DurabilityChecker().check(renumbered(all));
  }

  /** Two clients' histories as one, with ids in order, as the checkers expect. */
  private static List<io.kvs.testkit.history.Operation> renumbered(List<io.kvs.testkit.history.Operation> ops) {
    List<io.kvs.testkit.history.Operation> out = new ArrayList<>();
    for (var o : ops) {
      out.add(new io.kvs.testkit.history.Operation(out.size(), o.session(), o.kind(), o.key(), o.written(), o.read(),
          o.status(), o.node(), o.invokeMs(), o.completeMs(), o.requestContext(), o.reply()));
    }
    return out;
  }

  @Test
  void aClusterThatLosesPowerEverywhereKeepsEveryAcknowledgedWrite() {
    assertThat(lostAfterPowerLoss(durable(201).build())).isEmpty();
  }

  @Test
  void durabilityCatchesAnFsyncThatLies() {
    assertThat(lostAfterPowerLoss(durable(201).plantLyingFsync().build())).isNotEmpty();
  }

  @Test
  void durabilityCatchesAClusterWithoutDataDirectories() {
    assertThat(lostAfterPowerLoss(SimCluster.builder(201).build())).isNotEmpty();
  }

  @Test
  void metadataFromBeforeThePowerLossIsServedAfterIt() {
    SimCluster cluster = durable(202).build();
    RecordingClient client = writeThenLosePower(cluster);
    for (String node : cluster.addresses()) {
      client.get(0, node, "k" + (KEYS - 1));
      assertThat(client.last).as("read at %s with metadata from before the restart", node).isInstanceOf(Reply.Kv.class);
    }
    assertThat(new SessionCausalityChecker().check(client.history.operations())).isEmpty();
  }

  @Test
  void aTornLastRecordIsDroppedAndTheNodeCatchesUp() {
    SimCluster cluster = durable(203).build();
    settle(cluster);
    RecordingClient client = new RecordingClient(cluster, false);
    String victim = cluster.addresses().get(0);
    for (int i = 0; i < KEYS; i++) {
      client.put(0, victim, "k" + i, "\"v" + i + "\"");
    }
    cluster.crash(victim);
    SimDisk disk = cluster.disk(victim);
    String last = disk.files().stream().filter(f -> f.startsWith("wal-")).reduce((a, b) -> b).orElseThrow();
    disk.tear(last, 5);
    cluster.restart(victim);
    settle(cluster);
    cluster.run(5_000);
    assertThat(cluster.node(victim).caughtUp()).isTrue();
    assertThat(new ConvergenceChecker().check(cluster.liveAddresses().stream().map(cluster::node).toList())).isEmpty();
  }

  /** A bit of one stored value flips while its node is down; the node restarts on that disk. */
  private static List<Violation> bitFlipScenario(boolean recoverySkipsChecksums) {
    SimClusterBuilder b = durable(204);
    if (recoverySkipsChecksums) {
      b.plantRecoveryThatSkipsChecksums();
    }
    SimCluster cluster = b.build();
    settle(cluster);
    SimSession s = cluster.session(cluster.addresses().get(0));
    for (int i = 0; i < KEYS; i++) {
      s.putJson("k" + i, "\"value-" + i + "\"");
    }
    cluster.run(3_000);
    String victim = cluster.addresses().get(0);
    cluster.crash(victim);
    SimDisk disk = cluster.disk(victim);
    String segment = disk.files().stream().filter(f -> f.startsWith("wal-")).findFirst().orElseThrow();
    int at = indexOf(disk.contents(segment), "value-7".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    disk.flipBit(segment, at, 0);
    cluster.restart(victim);
    settle(cluster);
    cluster.run(10_000);
    return new ConvergenceChecker().check(cluster.liveAddresses().stream().map(cluster::node).toList());
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("value not in the log");
  }

  @Test
  void aCorruptRecordIsNeverServedAndTheNodeRepairsFromItsPeers() {
    assertThat(bitFlipScenario(false)).isEmpty();
  }

  @Test
  void convergenceCatchesARecoveryThatSkipsChecksums() {
    assertThat(bitFlipScenario(true)).isNotEmpty();
  }

  @Test
  void aWriteThatTooFewReplicasHoldIsAnswered503() {
    DurabilitySettings needThree = DurabilitySettings.defaults().withMinAckReplicas(3).withFsync(FsyncPolicy.ALWAYS);
    SimCluster cluster = durable(205).dataDirectories(needThree).nodes(3).shards(1).build();
    settle(cluster);
    RecordingClient client = new RecordingClient(cluster, false);
    List<String> nodes = cluster.addresses();
    client.put(0, nodes.get(0), "a", "1");
    assertThat(client.last).isInstanceOf(Reply.Kv.class);
    cluster.network().partition(List.of(nodes.get(2)), nodes.subList(0, 2));
    client.put(0, nodes.get(0), "b", "2");
    assertThat(client.last).isEqualTo(new Reply.Failed(io.kvs.core.KvsError.TOO_FEW_REPLICAS));
    cluster.network().heal();
    settle(cluster);
    client.put(0, nodes.get(0), "c", "3");
    assertThat(client.last).isInstanceOf(Reply.Kv.class);
  }
}
