package io.kvs.testkit.e2e;

import static io.kvs.testkit.e2e.E2ESupport.FAST_FAILURE_DETECTION;
import static io.kvs.testkit.e2e.E2ESupport.assumeBindable;
import static io.kvs.testkit.e2e.E2ESupport.awaitKeyCounts;
import static io.kvs.testkit.e2e.E2ESupport.layoutSeenBy;
import static io.kvs.testkit.e2e.E2ESupport.log;
import static io.kvs.testkit.e2e.E2ESupport.logDir;
import static io.kvs.testkit.e2e.E2ESupport.loopbackAddresses;
import static io.kvs.testkit.e2e.E2ESupport.ms;
import static io.kvs.testkit.e2e.E2ESupport.nodeJarOrFail;
import static io.kvs.testkit.e2e.E2ESupport.retry;
import static io.kvs.testkit.e2e.E2ESupport.sameJson;
import static io.kvs.testkit.e2e.E2ESupport.valueOf;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.testkit.process.KvsHttpClient;
import io.kvs.testkit.process.KvsHttpClient.Response;
import io.kvs.testkit.process.NodeProcess;
import io.kvs.testkit.process.Poll;
import io.kvs.testkit.process.ProcessCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Scenario B, on real JVMs: three nodes started without {@code SHARD_COUNT} form one replicated
 * shard (id 0 holding all three); a write through one node is readable through the others and all
 * report the same key count.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ReplicatedClusterE2ETest {
  private static final int KEYS = 30;

  private final List<String> three = loopbackAddresses(2, 3);
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void threeNodesWithoutShardCountActAsOneReplicatedShard() {
    var jar = nodeJarOrFail();
    assumeBindable(three);
    cluster = new ProcessCluster(jar, logDir(getClass()), FAST_FAILURE_DETECTION);
    try {
      run();
    } catch (RuntimeException | AssertionError e) {
      for (String a : cluster.addresses()) {
        NodeProcess n = cluster.node(a);
        log("---- %s last log lines, %s ----%n%s", a, n.logFile(), n.logTail(25));
      }
      throw e;
    }
  }

  private void run() {
    Instant start = Instant.now();
    cluster.startAll(three, null);
    cluster.awaitReady(three, Duration.ofSeconds(60));
    log("B: 3 JVMs answering after %s", ms(Duration.between(start, Instant.now())));

    Instant t = Instant.now();
    TreeSet<String> all = new TreeSet<>(three);
    Poll.until(Duration.ofSeconds(20), "every node reports shard ids [0] with members " + all, () ->
        three.stream().allMatch(a -> layoutSeenBy(client(a)).equals(Map.of(0, all))));
    for (String a : three) {
      assertThat(client(a).shardIdList()).as("shard ids at %s", a).containsExactly(0);
      assertThat(client(a).shardMemberList(0)).as("members of shard 0 at %s", a)
          .containsExactlyInAnyOrderElementsOf(three);
      assertThat(client(a).nodeShardIdValue()).as("node-shard-id of %s", a).isEqualTo(0);
    }
    log("B: one shard of all three agreed after %s", ms(Duration.between(t, Instant.now())));

    t = Instant.now();
    JsonNode meta = null;
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < KEYS; i++) {
      String key = "b-key-" + i;
      keys.add(key);
      JsonNode sent = meta;
      JsonNode value = valueOf(i, 0);
      Response r = retry("PUT " + key, () -> client(three.get(0)).put(key, value, sent)).response();
      assertThat(r.status()).as("PUT %s: %s", key, r).isEqualTo(201);
      assertThat(r.shardId()).isEqualTo(0);
      meta = r.causalMetadata();
    }
    String odd = "ключ mit Leerzeichen & %";
    JsonNode sentOdd = meta;
    Response put = retry("PUT odd key", () -> client(three.get(0)).put(odd, "unicode", sentOdd)).response();
    assertThat(put.status()).as("PUT of a key with spaces and non-ASCII characters: %s", put).isEqualTo(201);
    meta = put.causalMetadata();
    log("B: %d writes through %s took %s", KEYS + 1, three.get(0), ms(Duration.between(t, Instant.now())));

    for (String reader : three.subList(1, 3)) {
      for (int i = 0; i < KEYS; i++) {
        String key = keys.get(i);
        JsonNode sent = meta;
        Response r = retry("GET " + key + " via " + reader, () -> client(reader).get(key, sent)).response();
        assertThat(r.status()).as("GET %s via %s: %s", key, reader, r).isEqualTo(200);
        assertThat(sameJson(r.value(), valueOf(i, 0))).as("value of %s via %s: %s", key, reader, r).isTrue();
        meta = r.causalMetadata() == null ? meta : r.causalMetadata();
      }
      JsonNode sent = meta;
      Response r = retry("GET odd key via " + reader, () -> client(reader).get(odd, sent)).response();
      assertThat(r.status()).as("GET odd key via %s: %s", reader, r).isEqualTo(200);
      assertThat(r.value().asText()).isEqualTo("unicode");
    }

    JsonNode sentDel = meta;
    Response del = retry("DELETE odd key", () -> client(three.get(1)).delete(odd, sentDel)).response();
    assertThat(del.status()).as("DELETE: %s", del).isEqualTo(200);
    meta = del.causalMetadata();
    JsonNode afterDel = meta;
    Response gone = retry("GET deleted key", () -> client(three.get(2)).get(odd, afterDel)).response();
    assertThat(gone.status()).as("GET of a deleted key with the delete's metadata: %s", gone).isEqualTo(404);

    Duration counted = awaitKeyCounts(three, Map.of(0, (long) KEYS), Duration.ofSeconds(20));
    log("B: all three report %d keys in shard 0 (waited %s)", KEYS, ms(counted));
  }

  private KvsHttpClient client(String address) {
    return cluster.client(address);
  }
}
