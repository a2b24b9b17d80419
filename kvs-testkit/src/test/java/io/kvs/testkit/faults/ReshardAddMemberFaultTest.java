package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvs.testkit.history.History;
import io.kvs.testkit.netns.ClientSession;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import io.kvs.testkit.netns.NodeHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Scenario 4: while 8 clients keep writing, reshard 2 → 3, then start a 7th node without
 * SHARD_COUNT and add it to a shard. Every node must agree on 3 shards covering all 7 nodes, every
 * replica must converge, and no acknowledged write may be lost.
 */
class ReshardAddMemberFaultTest {
  @Test
  void reshardTwoToThreeAndAddMemberUnderWrites() throws IOException {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("4 reshard 2->3 + add-member");
    try (NetnsCluster c = Faults.cluster("ReshardAddMemberFaultTest", 7)) {
      List<String> six = NetnsNetwork.addresses(6);
      List<String> seven = NetnsNetwork.addresses(7);
      String newcomer = seven.get(6);
      Faults.startSharded(c, six, 2);
      AtomicReference<List<String>> targets = new AtomicReference<>(six);
      History h = new History();
      HttpWorkload w = new HttpWorkload(h, c::nowMs, targets::get, HttpWorkload.keys(40), 8,
          Faults.CLIENT_TIMEOUT, 4);
      w.start();
      Faults.runFor(Duration.ofSeconds(3));

      Faults.event(c, h, "PUT /shard/reshard {\"shard-count\": 3} at " + six.get(2));
      long t0 = System.nanoTime();
      NodeHttp.Answer reshard = NodeHttp.send(six.get(2), "PUT", "/shard/reshard", "{\"shard-count\":3}",
          Duration.ofSeconds(60));
      long reshardMs = (System.nanoTime() - t0) / 1_000_000;
      Faults.event(c, h, "reshard answered " + reshard + " after " + reshardMs + " ms");
      assertEquals(200, reshard.status(), "reshard: " + reshard);
      f.extra.add("reshard took=" + reshardMs + " ms");
      Faults.runFor(Duration.ofSeconds(3));

      c.start(newcomer, c.nodeEnv(newcomer, seven, null));
      long startedAt = System.nanoTime();
      // One more session writes only to the newcomer, as fast as it answers, from its first moment
      // until it is added to a shard: writes it acknowledges must not be lost either.
      AtomicBoolean probing = new AtomicBoolean(true);
      ClientSession prober = new ClientSession(50, h, c::nowMs, Faults.CLIENT_TIMEOUT);
      List<ClientSession.Outcome> probed = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread probe = new Thread(() -> {
        java.util.Random r = new java.util.Random(50);
        while (probing.get()) {
          ClientSession.Outcome o = prober.putNext(newcomer, w.keys().get(r.nextInt(w.keys().size())));
          if (o.answer() == null) {
            Faults.runFor(Duration.ofMillis(20));
          } else {
            probed.add(o);
          }
        }
      }, "newcomer-prober");
      probe.start();
      // Clients send to the newcomer from the start: any live node answers any request.
      targets.set(new ArrayList<>(seven));
      Faults.event(c, h, "started " + newcomer + " without SHARD_COUNT (pid " + c.node(newcomer).pid()
          + "); clients use it too");
      c.awaitReady(List.of(newcomer), Duration.ofSeconds(60));
      f.extra.add("newcomer listening after=" + (System.nanoTime() - startedAt) / 1_000_000 + " ms");
      long viewMs = CrashRestartFaultTest.awaitViews(seven, seven, Duration.ofSeconds(30));
      f.extra.add("newcomer in every view after=" + viewMs + " ms");
      Map<Integer, Set<String>> before = Faults.PROBE.snapshot(List.of(six.get(0)), List.of()).layout();
      Faults.event(c, h, "layout before add-member: " + before);
      t0 = System.nanoTime();
      NodeHttp.Answer add = NodeHttp.send(six.get(4), "PUT", "/shard/add-member/2",
          "{\"socket-address\":\"" + newcomer + "\"}", Duration.ofSeconds(30));
      Faults.event(c, h, "add-member 2 " + newcomer + " answered " + add + " after "
          + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertEquals(200, add.status(), "add-member: " + add);
      probing.set(false);
      try {
        probe.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Map<String, Long> probeAnswers = new java.util.TreeMap<>();
      synchronized (probed) {
        probed.forEach(o -> probeAnswers.merge(o.status() + (o.status() / 100 == 2
            ? " epoch " + NodeHttp.rawField(o.answer().metadata(), "epoch") : ""), 1L, Long::sum));
      }
      f.extra.add("PUTs answered by the newcomer before add-member=" + probeAnswers);
      Faults.runFor(Duration.ofSeconds(4));
      w.stop();
      Faults.event(c, h, "workload stopped");

      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(seven, w.keys(), 3, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      Map<Integer, Set<String>> layout = conv.snapshot().layout();
      Faults.event(c, h, "converged after " + f.convergeMs + " ms: " + layout + " key counts "
          + conv.snapshot().keyCounts().get(newcomer));
      assertTrue(layout.get(2).contains(newcomer), "newcomer in shard 2: " + layout);
      f.extra.add("key counts per shard=" + conv.snapshot().keyCounts().get(newcomer));
      int sweep503 = Faults.sessionSweep(w, seven, 17);
      Faults.finalReads(c, h, w, k -> newcomer);
      f.extra.add("503s after convergence=" + sweep503);
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, w);
      assertEquals(0, sweep503, "requests answered other than 200/404 after convergence");
    }
  }
}
