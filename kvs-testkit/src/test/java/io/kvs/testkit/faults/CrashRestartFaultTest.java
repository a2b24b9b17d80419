package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kvs.testkit.history.History;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Scenario 2: {@code kill -9} of one node of each shard while clients write; the others drop them
 * from the view; then both restart with the same address (memory lost). Each must come back into
 * every view and its shard, catch up (its shard's key count and every key's value the same as its
 * peers'), and reads through it must give the latest values; no acknowledged write is lost.
 */
class CrashRestartFaultTest {
  @Test
  void killOneNodePerShardDuringWritesThenRestart() {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("2 kill -9 + restart");
    try (NetnsCluster c = Faults.cluster("CrashRestartFaultTest", 6)) {
      List<String> nodes = NetnsNetwork.addresses(6);
      Faults.startSharded(c, nodes, 2);
      Map<Integer, Set<String>> layout = Faults.PROBE.snapshot(List.of(nodes.get(0)), List.of()).layout();
      List<String> victims = List.of(layout.get(0).iterator().next(), layout.get(1).iterator().next());
      List<String> survivors = nodes.stream().filter(n -> !victims.contains(n)).toList();
      History h = new History();
      // Clients use the live nodes; a restarted node once it listens again.
      java.util.concurrent.atomic.AtomicReference<List<String>> targets = new java.util.concurrent.atomic.AtomicReference<>(nodes);
      HttpWorkload w = new HttpWorkload(h, c::nowMs, targets::get, HttpWorkload.keys(40), 6,
          Faults.CLIENT_TIMEOUT, 2);
      w.start();
      Faults.runFor(Duration.ofSeconds(4));
      targets.set(survivors);
      for (String v : victims) {
        long pid = c.kill9(v);
        Faults.event(c, h, "kill -9 " + v + " (pid " + pid + ")");
      }
      long removedMs = awaitViews(survivors, survivors, Duration.ofSeconds(20));
      f.extra.add("crashed nodes removed from every view after=" + removedMs + " ms");
      Faults.runFor(Duration.ofSeconds(2));
      long restartAt = System.nanoTime();
      for (String v : victims) {
        Faults.event(c, h, "restart " + v + " (pid " + c.restart(v).pid() + ")");
      }
      c.awaitReady(victims, Duration.ofSeconds(60));
      targets.set(nodes);
      awaitViews(nodes, nodes, Duration.ofSeconds(30));
      long backMs = (System.nanoTime() - restartAt) / 1_000_000;
      f.extra.add("restarted nodes back in every view after=" + backMs + " ms from restart");
      Faults.event(c, h, "restarted nodes are in every view");
      Faults.runFor(Duration.ofSeconds(4));
      w.stop();
      Faults.event(c, h, "workload stopped");
      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, w.keys(), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      Faults.event(c, h, "converged " + f.convergeMs + " ms after the workload stopped; layout " + conv.snapshot().layout());
      // The restarted nodes are back in their own shards and report the same key counts as their peers.
      Map<Integer, Set<String>> after = conv.snapshot().layout();
      assertEquals(layout, after, "restarted nodes return to the shard they were in");
      Map<Integer, Long> counts = conv.snapshot().keyCounts().get(victims.get(0));
      for (String v : victims) {
        assertEquals(counts, conv.snapshot().keyCounts().get(v), "key counts reported by " + v);
      }
      f.extra.add("key counts per shard=" + counts);
      // Reads through the restarted nodes: each session with its metadata, then the final reads.
      int sweep503 = Faults.sessionSweep(w, victims, 11);
      Map<String, Integer> shardOfKey = conv.snapshot().shardOfKey();
      Faults.finalReads(c, h, w, k -> victims.get(shardOfKey.getOrDefault(k, 0) == 0 ? 0 : 1));
      f.extra.add("503s after convergence (through restarted nodes)=" + sweep503);
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, w);
      assertEquals(0, sweep503, "requests through the restarted nodes answered other than 200/404");
    }
  }

  /** Polls until every node of {@code asked} reports exactly {@code expected} as its view; returns ms taken. */
  static long awaitViews(List<String> asked, List<String> expected, Duration within) {
    long t0 = System.nanoTime();
    io.kvs.testkit.process.Poll.until(within, "views of " + asked + " are " + expected, () -> {
      HttpConvergence.Snapshot s = Faults.PROBE.snapshot(asked, List.of());
      return s.errors().isEmpty() && s.views().values().stream().allMatch(v -> v.equals(new java.util.TreeSet<>(expected)));
    });
    return (System.nanoTime() - t0) / 1_000_000;
  }
}
