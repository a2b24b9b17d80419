package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import io.kvs.testkit.netns.ClientSession;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Scenario 1: one node is cut off from the five others (clients still reach all six and write on
 * both sides), long enough for the majority to drop it from the view; then the partition heals.
 * The cluster must converge within a bounded time without a restart, and no acknowledged write may
 * be lost.
 */
class MinorityPartitionFaultTest {
  @Test
  void minorityPartitionedWhileWritingOnBothSidesThenHealed() {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("1 minority partition");
    try (NetnsCluster c = Faults.cluster("MinorityPartitionFaultTest", 6)) {
      List<String> nodes = NetnsNetwork.addresses(6);
      Faults.startSharded(c, nodes, 2);
      History h = new History();
      String minority = nodes.get(0);
      List<String> majority = nodes.subList(1, 6);
      // Clients on both sides: sessions 0-1 always use the minority node, 2-3 the majority's
      // nodes, and 4-5 any node (so they carry the majority's writes to the minority, and get 503s).
      HttpWorkload w = new HttpWorkload(h, c::nowMs, s -> s < 2 ? List.of(minority) : s < 4 ? majority : nodes,
          HttpWorkload.keys(40), 6, Faults.CLIENT_TIMEOUT, 1);
      w.start();
      Faults.runFor(Duration.ofSeconds(3));
      c.network().isolateFromPeers(minority);
      long cutAt = c.nowMs();
      Faults.event(c, h, "partition: " + minority + " | the other five (clients reach both sides)");
      Faults.runFor(Duration.ofSeconds(8));
      w.stop();
      long healAt = c.nowMs();
      Map<Integer, Set<String>> during = Faults.PROBE.snapshot(List.of(nodes.get(1)), List.of()).layout();
      c.network().heal();
      Faults.event(c, h, "healed; workload stopped; layout seen by the majority before heal: " + during);
      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, w.keys(), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      Faults.event(c, h, "converged after " + f.convergeMs + " ms (" + conv.polls() + " polls)");
      int sweep503 = Faults.sessionSweep(w, nodes, 7);
      Faults.finalReads(c, h, w, k -> nodes.get(Math.floorMod(k.hashCode(), nodes.size())));
      f.extra.add("503s after convergence=" + sweep503);
      // Writes were acknowledged on both sides while cut (the minority is a member of its own shard).
      Map<Boolean, Long> ackedBySide = h.operations().stream()
          .filter(o -> o.kind() == Operation.Kind.PUT && o.status() == Operation.Status.OK)
          .filter(o -> o.invokeMs() >= cutAt && o.completeMs() <= healAt)
          .collect(Collectors.partitioningBy(o -> o.node().equals(minority), Collectors.counting()));
      f.extra.add("PUTs acknowledged during the partition: by the minority=" + ackedBySide.get(true)
          + ", by the majority=" + ackedBySide.get(false));
      Map<String, Long> minorityAnswers = new java.util.TreeMap<>(h.operations().stream()
          .filter(o -> o.node().equals(minority) && o.invokeMs() >= cutAt && o.completeMs() <= healAt)
          .collect(Collectors.groupingBy(o -> o.kind() + " " + o.reply().split(" ")[0]
              + (o.reply().contains(ClientSession.CAUSAL_503) ? " causal" : ""), Collectors.counting())));
      f.extra.add("minority's answers while cut=" + minorityAnswers);
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, w);
      assertEquals(0, sweep503, "requests answered other than 200/404 after convergence");
      assertTrue(ackedBySide.get(true) > 0, "the minority node acknowledged writes to its own shard while cut off");
      assertTrue(ackedBySide.get(false) > 0, "the majority acknowledged writes while the minority was cut off");
    }
  }
}
