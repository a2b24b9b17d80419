package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kvs.testkit.history.History;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Scenario 6: data directories against {@code kill -9} of every node at once. The whole 6-node,
 * 2-shard cluster is killed during a write load and restarted from its data: no acknowledged
 * write is lost, views and shards are those of before, and the sessions' metadata from before
 * is served. Then one node's last log segment is cut short (a torn write) before it restarts.
 */
class PowerLossFaultTest {
  private static Path dataRoot(String scenario) {
    Path root = Path.of(System.getProperty("kvs.testkit.basedir", "."), "target", "netns-data", scenario);
    deleteTree(root);
    return root;
  }

  private static void startDurable(NetnsCluster c, List<String> nodes, int shards, Path root) {
    for (String a : nodes) {
      Map<String, String> env = c.nodeEnv(a, nodes, shards);
      env.put("KVS_DATA_DIR", root.resolve(a.replace(':', '_')).toString());
      env.put("KVS_FSYNC", "always");
      c.start(a, env);
    }
    c.awaitReady(nodes, Duration.ofSeconds(90));
  }

  @Test
  void killEveryNodeDuringWritesThenRestartFromTheData() {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("6 kill -9 of every node + restart from data");
    Path root = dataRoot("PowerLossFaultTest-all");
    try (NetnsCluster c = Faults.cluster("PowerLossFaultTest-all", 6)) {
      List<String> nodes = NetnsNetwork.addresses(6);
      startDurable(c, nodes, 2, root);
      HttpConvergence.Converged before = Faults.PROBE.awaitConverged(nodes, List.of(), 2, Duration.ofSeconds(60));
      Map<Integer, Set<String>> layout = before.snapshot().layout();
      History h = new History();
      HttpWorkload w = new HttpWorkload(h, c::nowMs, () -> nodes, HttpWorkload.keys(40), 6, Faults.CLIENT_TIMEOUT, 6);
      w.start();
      Faults.runFor(Duration.ofSeconds(5));
      for (String a : nodes) {
        Faults.event(c, h, "kill -9 " + a + " (pid " + c.kill9(a) + ")");
      }
      w.stop();
      long restartAt = System.nanoTime();
      for (String a : nodes) {
        Faults.event(c, h, "restart " + a + " from its data (pid " + c.restart(a).pid() + ")");
      }
      c.awaitReady(nodes, Duration.ofSeconds(60));
      f.extra.add("every node serving after=" + (System.nanoTime() - restartAt) / 1_000_000 + " ms from restart");
      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, w.keys(), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      assertEquals(layout, conv.snapshot().layout(), "the same views and shards as before the kill");
      int sweep = Faults.sessionSweep(w, nodes, 13);
      f.extra.add("answers other than 200/404 to metadata from before the kill=" + sweep);
      Map<String, Integer> shardOfKey = conv.snapshot().shardOfKey();
      Faults.finalReads(c, h, w, k -> nodes.get(shardOfKey.getOrDefault(k, 0)));
      f.extra.add("recovery=" + Faults.logLines(c, "recovered").size() + " nodes logged what they recovered");
      Faults.printNodeWarnings(c, 20);
      Faults.checkAndReport(f, h, w);
      assertEquals(0, sweep, "metadata issued before the kill answered other than 200/404");
    } finally {
      deleteTree(root);
    }
  }

  @Test
  void aTornLastLogSegmentIsRecoveredCleanly() throws IOException {
    Faults.assumeNetns();
    Faults.Figures f = new Faults.Figures("7 torn last log segment");
    Path root = dataRoot("PowerLossFaultTest-torn");
    try (NetnsCluster c = Faults.cluster("PowerLossFaultTest-torn", 4)) {
      List<String> nodes = NetnsNetwork.addresses(4);
      startDurable(c, nodes, 2, root);
      Faults.PROBE.awaitConverged(nodes, List.of(), 2, Duration.ofSeconds(60));
      History h = new History();
      HttpWorkload w = new HttpWorkload(h, c::nowMs, () -> nodes, HttpWorkload.keys(30), 4, Faults.CLIENT_TIMEOUT, 7);
      w.start();
      Faults.runFor(Duration.ofSeconds(4));
      String victim = nodes.get(0);
      Faults.event(c, h, "kill -9 " + victim + " (pid " + c.kill9(victim) + ")");
      Path segment = lastSegment(root.resolve(victim.replace(':', '_')));
      long size = writtenBytes(segment); // the node allocates zeros ahead of its records
      try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
        ch.truncate(size - 7);
      }
      Faults.event(c, h, "cut " + segment.getFileName() + " from " + size + " to " + (size - 7) + " bytes");
      Faults.runFor(Duration.ofSeconds(1));
      Faults.event(c, h, "restart " + victim + " (pid " + c.restart(victim).pid() + ")");
      c.awaitReady(List.of(victim), Duration.ofSeconds(60));
      Faults.runFor(Duration.ofSeconds(2));
      w.stop();
      HttpConvergence.Converged conv = Faults.PROBE.awaitConverged(nodes, w.keys(), 2, Faults.CONVERGE_WITHIN);
      f.convergeMs = conv.took().toMillis();
      List<String> torn = Faults.logLines(c, "torn record");
      f.extra.add("recovery lines=" + torn);
      assertFalse(torn.isEmpty(), "the restarted node logs the torn record it discarded");
      Map<String, Integer> shardOfKey = conv.snapshot().shardOfKey();
      Faults.finalReads(c, h, w, k -> shardOfKey.getOrDefault(k, 0) == 0 ? victim : nodes.get(1));
      Faults.checkAndReport(f, h, w);
    } finally {
      deleteTree(root);
    }
  }

  private static Path lastSegment(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("wal-")).max(Comparator.naturalOrder())
          .orElseThrow(() -> new AssertionError("no log segment in " + dir));
    }
  }

  private static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new AssertionError("cannot clean " + root, e);
    }
  }

  /** Where the records of {@code segment} end: after its last byte that is not zero. */
  private static long writtenBytes(Path segment) throws java.io.IOException {
    byte[] bytes = Files.readAllBytes(segment);
    int end = bytes.length;
    while (end > 0 && bytes[end - 1] == 0) {
      end--;
    }
    return end;
  }
}
