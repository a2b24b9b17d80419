package io.kvs.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.api.Session;
import io.kvs.testkit.process.NodeProcess;
import io.kvs.testkit.process.Poll;
import io.kvs.testkit.process.ProcessCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The done-when test on real JVMs: six kvs-node.jar processes on 127.0.0.41 … .46 in two
 * shards; one remote session writes 1,000 keys, the node it is using for the next key's shard is
 * killed (SIGKILL) after the 500th, and the session then reads every acknowledged write back
 * (G1) without the test handling a single error: a failure of put or get fails the test.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class KillMidwayProcessTest {
  private static final Logger LOG = LoggerFactory.getLogger(KillMidwayProcessTest.class);
  private static final int KEYS = 1_000;
  /** Apart from the testkit's e2e addresses (127.0.0.2 … .8, port 8090), so both can run. */
  private static final int PORT = 18_290;
  private static final Map<String, String> FAST_FAILURE_DETECTION = Map.of(
      "KVS_HEARTBEAT_INTERVAL_MS", "500", "KVS_SUSPECT_AFTER_MS", "1500", "KVS_REMOVE_AFTER_MS", "3000");

  record Entry(int n, String text) {}

  @Test
  void aSessionReadsEveryAcknowledgedWriteAfterANodeIsKilledMidway() {
    List<String> six = new ArrayList<>();
    for (int i = 41; i <= 46; i++) {
      six.add("127.0.0." + i + ":" + PORT);
    }
    Optional<String> problem = ProcessCluster.cannotBind(six);
    Assumptions.assumeTrue(problem.isEmpty(), () -> "needs loopback addresses 127.0.0.x: " + problem.orElse(""));
    Path logs = Path.of("target", "e2e-logs", getClass().getSimpleName());
    try (ProcessCluster cluster = new ProcessCluster(NodeProcess.locateJar(), logs, FAST_FAILURE_DETECTION)) {
      cluster.startAll(six, 2);
      cluster.awaitReady(six, Duration.ofSeconds(60));
      try (KvsClient client = KvsClient.builder().seeds(six.get(0)).refreshInterval(Duration.ofMillis(500)).build()) {
        RemoteClient remote = (RemoteClient) client;
        Poll.until(Duration.ofSeconds(30), "the client sees two shards of three nodes", () -> {
          Layout layout = remote.layout();
          return layout.shardCount() == 2 && layout.members(0).size() == 3 && layout.members(1).size() == 3;
        });
        Session session = client.openSession();
        int[] perShard = new int[2];
        for (int i = 0; i < KEYS; i++) {
          if (i == KEYS / 2) {
            killTheNodeServing(cluster, remote, "key-" + i);
          }
          session.put("key-" + i, new Entry(i, "value " + i));
          perShard[remote.layout().shardOf("key-" + i)]++;
        }
        assertThat(perShard[0]).as("keys of shard 0").isGreaterThan(KEYS / 4);
        assertThat(perShard[1]).as("keys of shard 1").isGreaterThan(KEYS / 4);
        for (int i = 0; i < KEYS; i++) {
          assertThat(session.get("key-" + i, Entry.class)).as("key-" + i).contains(new Entry(i, "value " + i));
        }
      }
    }
  }

  /** Kills (SIGKILL) the sticky replica the session would use for {@code key}. */
  private static void killTheNodeServing(ProcessCluster cluster, RemoteClient remote, String key) {
    Layout layout = remote.layout();
    String victim = remote.router().candidates(layout, layout.shardOf(key)).get(0);
    LOG.info("killing {} (shard {}) before writing {}", victim, layout.shardOf(key), key);
    cluster.node(victim).kill9();
    assertThat(cluster.node(victim).isAlive()).isFalse();
  }
}
