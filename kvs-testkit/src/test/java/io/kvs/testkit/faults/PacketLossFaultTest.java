package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvs.testkit.history.History;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scenario 3: every node drops 20% of the packets it receives (iptables statistic match in each
 * namespace: node-to-node and client-to-node traffic) during a mixed workload; then the loss is
 * removed. The cluster must converge within a bounded time, with no acknowledged write lost.
 */
class PacketLossFaultTest {
  @Test
  void twentyPercentLossOnAllLinksThenRemoved() {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("3 20% packet loss");
    try (NetnsCluster c = Faults.cluster("PacketLossFaultTest", 6)) {
      List<String> nodes = NetnsNetwork.addresses(6);
      Faults.startSharded(c, nodes, 2);
      History h = new History();
      HttpWorkload w = new HttpWorkload(h, c::nowMs, c::liveAddresses, HttpWorkload.keys(40), 6,
          Faults.CLIENT_TIMEOUT, 3);
      w.start();
      Faults.runFor(Duration.ofSeconds(2));
      c.network().setLoss(0.2);
      Faults.event(c, h, "20% packet loss on every node's input");
      Faults.runFor(Duration.ofSeconds(12));
      w.stop();
      c.network().setLoss(0);
      Faults.event(c, h, "loss removed; workload stopped");
      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, w.keys(), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      Faults.event(c, h, "converged after " + f.convergeMs + " ms");
      int sweep503 = Faults.sessionSweep(w, nodes, 13);
      Faults.finalReads(c, h, w, k -> nodes.get(Math.floorMod(k.hashCode() * 31, nodes.size())));
      f.extra.add("503s after convergence=" + sweep503);
      f.extra.add("view removals during loss=" + Faults.logLines(c, "from the view").size());
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, w);
      assertEquals(0, sweep503, "requests answered other than 200/404 after convergence");
    }
  }
}
