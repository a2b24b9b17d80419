package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvs.testkit.history.History;
import io.kvs.testkit.netns.ClientSession;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 5, the classic course sequence: write x=v1; cut one replica of x's shard off from
 * every other node (the client still reaches it); write x=v2 through another member; the cut
 * replica answers 503 to v2's metadata (it cannot satisfy it) and v1 to v1's metadata; the
 * partition lasts until the others drop it from their views; after the heal, without a restart,
 * it serves v2 to v2's metadata.
 */
class CutReplicaFaultTest {
  @Test
  void cutReplicaAnswers503ToNewMetadataOldValueToOldAndNewValueAfterHeal() {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("5 cut replica (course sequence)");
    try (NetnsCluster c = Faults.cluster("CutReplicaFaultTest", 6)) {
      List<String> nodes = NetnsNetwork.addresses(6);
      Faults.startSharded(c, nodes, 2);
      History h = new History();
      String key = "x";
      ClientSession alice = new ClientSession(0, h, c::nowMs, Faults.CLIENT_TIMEOUT);

      ClientSession.Outcome w1 = alice.putNext(nodes.get(0), key);
      assertEquals(201, w1.status(), "first write: " + w1);
      String v1 = w1.op().written();
      String m1 = alice.metadata();
      Integer shard = w1.answer().shardId();
      assertNotNull(shard, "shard-id of " + w1);
      List<String> members = new ArrayList<>(Faults.PROBE.snapshot(List.of(nodes.get(0)), List.of()).layout().get(shard));
      String cut = members.get(2);
      String other = members.get(1);
      List<String> rest = nodes.stream().filter(n -> !n.equals(cut)).toList();
      Faults.event(c, h, "wrote " + key + "=" + v1 + " at " + nodes.get(0) + " (shard " + shard + " = " + members + ")");

      // The cut replica holds v1 before the cut (checked with v1's metadata).
      ClientSession probe = new ClientSession(1, h, c::nowMs, Faults.CLIENT_TIMEOUT);
      io.kvs.testkit.process.Poll.until(Duration.ofSeconds(10), cut + " serves " + v1, () -> {
        probe.setMetadata(m1);
        ClientSession.Outcome o = probe.get(cut, key);
        return o.status() == 200 && v1.equals(o.op().read());
      });

      c.network().isolateFromPeers(cut);
      Faults.event(c, h, "cut " + cut + " off from the other five nodes");
      ClientSession.Outcome w2 = alice.putNext(other, key);
      assertEquals(200, w2.status(), "second write through " + other + ": " + w2);
      String v2 = w2.op().written();
      String m2 = alice.metadata();
      Faults.event(c, h, "wrote " + key + "=" + v2 + " at " + other + ": " + w2.answer());

      ClientSession newMeta = new ClientSession(2, h, c::nowMs, Faults.CLIENT_TIMEOUT);
      newMeta.setMetadata(m2);
      ClientSession.Outcome r2 = newMeta.get(cut, key);
      Faults.event(c, h, "GET " + key + " at " + cut + " with v2's metadata: " + r2.answer());
      assertEquals(503, r2.status(), "cut replica with metadata it cannot satisfy: " + r2);
      assertTrue(r2.answer().body().contains(ClientSession.CAUSAL_503), "503 body: " + r2.answer());

      ClientSession oldMeta = new ClientSession(3, h, c::nowMs, Faults.CLIENT_TIMEOUT);
      oldMeta.setMetadata(m1);
      ClientSession.Outcome r1 = oldMeta.get(cut, key);
      Faults.event(c, h, "GET " + key + " at " + cut + " with v1's metadata: " + r1.answer());
      assertEquals(200, r1.status(), "cut replica with old metadata: " + r1);
      assertEquals(v1, r1.op().read(), "cut replica with old metadata returns the old value");

      long removedMs = CrashRestartFaultTest.awaitViews(rest, rest, Duration.ofSeconds(20));
      f.extra.add("cut replica dropped from the others' views after=" + removedMs + " ms");
      ClientSession.Outcome stillCut = newMeta.get(cut, key);
      f.extra.add("while cut and dropped, GET with v2's metadata=" + stillCut.status());

      c.network().heal();
      long healedAt = System.nanoTime();
      Faults.event(c, h, "healed (no restart)");
      int[] attempts = {0};
      io.kvs.testkit.process.Poll.until(Duration.ofSeconds(30), cut + " serves " + v2 + " to v2's metadata", () -> {
        attempts[0]++;
        newMeta.setMetadata(m2);
        ClientSession.Outcome o = newMeta.get(cut, key);
        return o.status() == 200 && v2.equals(o.op().read());
      });
      long servedMs = (System.nanoTime() - healedAt) / 1_000_000;
      f.extra.add("cut replica served v2 after heal in=" + servedMs + " ms (" + attempts[0] + " attempts)");
      Faults.event(c, h, "cut replica serves v2 " + servedMs + " ms after heal");

      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, List.of(key), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = (System.nanoTime() - healedAt) / 1_000_000;
      Map<Integer, Set<String>> layout = conv.snapshot().layout();
      assertTrue(layout.get(shard).contains(cut), "cut replica back in shard " + shard + ": " + layout);
      ClientSession.Outcome last = alice.get(cut, key);
      assertEquals(v2, last.op().read(), "alice reads her latest write at the healed replica: " + last);
      HttpWorkload.finalReads(h, c::nowMs, 1000, List.of(key), k -> cut, Duration.ofSeconds(20));
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, null);
    }
  }
}
