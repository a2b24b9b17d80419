package io.kvs.testkit.e2e;

import static io.kvs.testkit.e2e.E2ESupport.FAST_FAILURE_DETECTION;
import static io.kvs.testkit.e2e.E2ESupport.RETRIED_503;
import static io.kvs.testkit.e2e.E2ESupport.RETRIED_ERRORS;
import static io.kvs.testkit.e2e.E2ESupport.assumeBindable;
import static io.kvs.testkit.e2e.E2ESupport.awaitAgreedLayout;
import static io.kvs.testkit.e2e.E2ESupport.awaitKeyCounts;
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
import io.kvs.testkit.e2e.E2ESupport.Attempt;
import io.kvs.testkit.process.KvsHttpClient;
import io.kvs.testkit.process.KvsHttpClient.Response;
import io.kvs.testkit.process.NodeProcess;
import io.kvs.testkit.process.Poll;
import io.kvs.testkit.process.ProcessCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * Scenario A, on real JVMs: six nodes with {@code SHARD_COUNT=2} on 127.0.0.2 … 127.0.0.7 port
 * 8090; 600 keys written and read in one causal session; a seventh node (127.0.0.8) joins the view,
 * is added to a shard and catches up; reshard to three shards; kill -9 of one node and its restart
 * at the same address. The phases run in order on one cluster; after a failed phase the later
 * ones are skipped.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ShardedClusterE2ETest {
  private static final int KEYS = 600;

  private final List<String> six = loopbackAddresses(2, 6);
  private final String seventh = loopbackAddresses(8, 1).get(0);
  private final List<String> seven = loopbackAddresses(2, 7);

  private ProcessCluster cluster;
  private final Map<String, Duration> timings = new LinkedHashMap<>();
  private String failedPhase;

  /** The client session: metadata of the latest response, and what every key must read. */
  private JsonNode meta;
  private final String[] keys = new String[KEYS];
  private final JsonNode[] latest = new JsonNode[KEYS];
  /** Shard of each key under the current assignment. */
  private final Map<String, Integer> shardOfKey = new ConcurrentHashMap<>();
  /** The layout after the reshard. */
  private Map<Integer, TreeSet<String>> layoutAfterReshard;
  private String victim;
  private int victimShard;

  @BeforeAll
  void startSixNodes() {
    var jar = nodeJarOrFail();
    assumeBindable(seven);
    for (int i = 0; i < KEYS; i++) {
      keys[i] = String.format("key-%03d", i);
    }
    cluster = new ProcessCluster(jar, logDir(getClass()), FAST_FAILURE_DETECTION);
    Instant start = Instant.now();
    cluster.startAll(six, 2);
    cluster.awaitReady(six, Duration.ofSeconds(60));
    record("start 6 JVMs until each answers GET /view", Duration.between(start, Instant.now()));
  }

  @AfterAll
  void stopAndReport() {
    if (cluster != null) {
      cluster.close();
    }
    log("---- timings (ShardedClusterE2ETest) ----");
    timings.forEach((k, v) -> log("%-70s %8d ms", k, v.toMillis()));
    log("503 answers retried: %d, connection errors retried: %d", RETRIED_503.get(), RETRIED_ERRORS.get());
    log("node logs: %s", logDir(getClass()).toAbsolutePath());
  }

  @Test
  @Order(1)
  void allNodesAgreeOnTwoShards() throws Throwable {
    phase("six nodes agree on 2 shards and their members", () -> {
      Map<Integer, TreeSet<String>> layout = awaitAgreedLayout(six, 2, six, Duration.ofSeconds(30));
      log("layout with SHARD_COUNT=2: %s", layout);
      for (String a : six) {
        Integer own = client(a).nodeShardIdValue();
        assertThat(own).as("node-shard-id of %s", a).isNotNull();
        assertThat(layout.get(own)).as("members of the shard %s says it is in", a).contains(a);
      }
    });
  }

  @Test
  @Order(2)
  void sixHundredKeysWrittenAndReadInOneCausalSession() throws Throwable {
    phase("600 chained writes through rotating nodes", () -> {
      int before503 = RETRIED_503.get();
      for (int i = 0; i < KEYS; i++) {
        write(six.get(i % six.size()), i, 0, true);
      }
      log("600 writes: %d answers were 503 and retried", RETRIED_503.get() - before503);
    });
    phase("60 chained overwrites (every 10th key)", () -> {
      for (int i = 0; i < KEYS; i += 10) {
        write(six.get((i + 1) % six.size()), i, 1, false);
      }
    });
    phase("600 chained reads through other nodes", () -> {
      int before503 = RETRIED_503.get();
      for (int i = 0; i < KEYS; i++) {
        readLatest(six.get((i + 3) % six.size()), i, true);
      }
      log("600 reads: %d answers were 503 and retried", RETRIED_503.get() - before503);
    });
    phase("key counts agree on all six nodes and sum to 600", () -> {
      Map<Integer, Long> expected = expectedCounts();
      log("keys per shard (from the shard-id of each write): %s", expected);
      assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(KEYS);
      expected.forEach((id, n) -> assertThat(n).as("keys in shard %d (even spread)", id)
          .isGreaterThanOrEqualTo(KEYS / (2L * expected.size())));
      awaitKeyCounts(six, expected, Duration.ofSeconds(20));
    });
  }

  @Test
  @Order(3)
  void seventhNodeJoinsViewAndIsAddedToAShard() throws Throwable {
    int target = 0;
    phase("7th node (no SHARD_COUNT) started and in every view", () -> {
      cluster.start(seventh, cluster.nodeEnv(seventh, seven, null));
      cluster.awaitReady(List.of(seventh), Duration.ofSeconds(60));
      awaitViews(seven, Set.copyOf(seven), Duration.ofSeconds(20));
      Integer own = client(seventh).nodeShardIdValue();
      assertThat(own).as("node-shard-id of the new node before add-member").isNull();
      Map<Integer, TreeSet<String>> layout = awaitAgreedLayout(seven, 2, six, Duration.ofSeconds(20));
      log("layout seen by all seven before add-member: %s", layout);
    });
    phase("PUT /shard/add-member/0 until the 7th reports the shard's key count", () -> {
      Response r = client(six.get(0)).addMember(target, seventh);
      assertThat(r.status()).as("add-member answer %s", r).isEqualTo(200);
      assertThat(r.text("result")).isEqualTo("node added to shard");
      Map<Integer, TreeSet<String>> layout = awaitAgreedLayout(seven, 2, seven, Duration.ofSeconds(20));
      assertThat(layout.get(target)).contains(seventh);
      Poll.until(Duration.ofSeconds(10), "node-shard-id of " + seventh + " is " + target,
          () -> Integer.valueOf(target).equals(client(seventh).nodeShardIdValue()));
      awaitKeyCounts(seven, expectedCounts(), Duration.ofSeconds(30));
      long own = client(seventh).keyCountValue(target);
      for (String m : layout.get(target)) {
        assertThat(client(m).keyCountValue(target)).as("key count of shard %d at %s", target, m).isEqualTo(own);
      }
      log("shard %d key count at the new node: %d", target, own);
    });
    phase("the 7th node serves shard 0's keys (chained reads)", () -> {
      for (int i = 0; i < KEYS; i++) {
        if (shardOfKey.get(keys[i]) == target) {
          readLatest(seventh, i, true);
        }
      }
    });
  }

  @Test
  @Order(4)
  void reshardToThreeKeepsEveryKeyReadableEverywhere() throws Throwable {
    JsonNode metaBeforeReshard = meta;
    phase("PUT /shard/reshard 3", () -> {
      Response r = client(six.get(1)).reshard(3);
      assertThat(r.status()).as("reshard answer %s", r).isEqualTo(200);
      assertThat(r.text("result")).isEqualTo("resharded");
    });
    phase("all seven agree on 3 shards", () -> {
      layoutAfterReshard = awaitAgreedLayout(seven, 3, seven, Duration.ofSeconds(20));
      log("layout after reshard: %s", layoutAfterReshard);
    });
    phase("600 keys x 7 nodes read with the metadata from before the reshard", () -> {
      shardOfKey.clear();
      List<String> failures = Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(seven.size());
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (String node : seven) {
          futures.add(pool.submit(() -> {
            KvsHttpClient c = client(node);
            for (int i = 0; i < KEYS; i++) {
              int k = i;
              Response r;
              try {
                r = retry("GET " + keys[k] + " via " + node, () -> c.get(keys[k], metaBeforeReshard)).response();
              } catch (AssertionError e) {
                failures.add(e.getMessage());
                continue;
              }
              if (r.status() != 200 || !sameJson(r.value(), latest[k])) {
                failures.add("GET " + keys[k] + " via " + node + " -> " + r + ", expected " + latest[k]);
                continue;
              }
              Integer s = shardOfKey.putIfAbsent(keys[k], r.shardId());
              if (s != null && !s.equals(r.shardId())) {
                failures.add(keys[k] + ": shard-id " + r.shardId() + " via " + node + " but " + s + " elsewhere");
              }
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get(100, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(failures.subList(0, Math.min(20, failures.size())))
          .as("failed reads after reshard (first 20 of %d)", failures.size()).isEmpty();
    });
    phase("key counts over 3 shards agree and sum to 600 on every node", () -> {
      Map<Integer, Long> expected = expectedCounts();
      log("keys per shard after reshard: %s", expected);
      assertThat(expected.keySet()).containsExactly(0, 1, 2);
      assertThat(expected.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(KEYS);
      Duration waited = awaitKeyCounts(seven, expected, Duration.ofSeconds(20));
      log("key counts agreed %s after the reads", ms(waited));
    });
  }

  @Test
  @Order(5)
  void killNineThenRestartAtTheSameAddress() throws Throwable {
    phase("kill -9 of one node; all keys read and 150 rewritten through the others", () -> {
      var smallest = layoutAfterReshard.entrySet().stream()
          .min(Comparator.comparingInt((Map.Entry<Integer, TreeSet<String>> e) -> e.getValue().size())
              .thenComparing(Map.Entry::getKey))
          .orElseThrow();
      victimShard = smallest.getKey();
      victim = smallest.getValue().stream().filter(six::contains).findFirst()
          .orElse(smallest.getValue().first());
      NodeProcess node = cluster.node(victim);
      log("killing %s (pid %d, shard %d of %s) with SIGKILL", victim, node.pid(), victimShard, smallest.getValue());
      List<String> live = new ArrayList<>(seven);
      live.remove(victim);
      Instant killedAt = Instant.now();
      node.kill9();
      assertThat(node.isAlive()).isFalse();

      // Two watchers time the removal while the reads and writes below run.
      ExecutorService watchers = Executors.newFixedThreadPool(2);
      try {
        CompletableFuture<Duration> leftViews = CompletableFuture.supplyAsync(() -> {
          Poll.until(killedAt.plusSeconds(15), victim + " leaves the view of every live node",
              () -> live.stream().noneMatch(a -> client(a).viewList().contains(victim)));
          return Duration.between(killedAt, Instant.now());
        }, watchers);
        CompletableFuture<Duration> leftShard = CompletableFuture.supplyAsync(() -> {
          Poll.until(killedAt.plusSeconds(15), victim + " leaves the member list of shard " + victimShard
              + " on every live node",
              () -> live.stream().noneMatch(a -> client(a).shardMemberList(victimShard).contains(victim)));
          return Duration.between(killedAt, Instant.now());
        }, watchers);

        int before503 = RETRIED_503.get();
        Instant rw = Instant.now();
        for (int i = 0; i < KEYS; i++) {
          readLatest(live.get(i % live.size()), i, true);
        }
        record("600 chained reads right after the kill", Duration.between(rw, Instant.now()));
        rw = Instant.now();
        for (int i = 0; i < KEYS; i += 4) {
          write(live.get((i + 1) % live.size()), i, 2, false);
        }
        record("150 chained overwrites after the kill", Duration.between(rw, Instant.now()));
        log("after kill: %d answers were 503 and retried", RETRIED_503.get() - before503);

        record("kill -9 until the node left every view", leftViews.get(20, TimeUnit.SECONDS));
        record("kill -9 until the node left its shard's members everywhere", leftShard.get(20, TimeUnit.SECONDS));
        for (String a : live) {
          assertThat(client(a).viewList()).as("view of %s", a).hasSize(6).doesNotContain(victim);
        }
      } finally {
        watchers.shutdownNow();
      }
    });
    phase("restart at the same address: back in every view and in its shard", () -> {
      Instant startedAt = Instant.now();
      cluster.restart(victim);
      cluster.awaitReady(List.of(victim), Duration.ofSeconds(60));
      record("restart: JVM start until it answers", Duration.between(startedAt, Instant.now()));
      awaitViews(seven, Set.copyOf(seven), Duration.ofSeconds(20));
      record("restart: start until back in every view", Duration.between(startedAt, Instant.now()));
      Poll.until(Duration.ofSeconds(20), victim + " is back in shard " + victimShard + " on every node",
          () -> Integer.valueOf(victimShard).equals(client(victim).nodeShardIdValue())
              && seven.stream().allMatch(a -> client(a).shardMemberList(victimShard).contains(victim)));
      record("restart: start until back in its shard everywhere", Duration.between(startedAt, Instant.now()));
      Map<Integer, TreeSet<String>> layout = awaitAgreedLayout(seven, 3, seven, Duration.ofSeconds(20));
      assertThat(layout).isEqualTo(layoutAfterReshard);
    });
    phase("restarted node serves its shard's keys (incl. writes made while it was down)", () -> {
      int served = 0;
      for (int i = 0; i < KEYS; i++) {
        if (shardOfKey.get(keys[i]) == victimShard) {
          readLatest(victim, i, true);
          served++;
        }
      }
      log("read %d keys of shard %d through the restarted node", served, victimShard);
      awaitKeyCounts(seven, expectedCounts(), Duration.ofSeconds(20));
      for (int i = 0; i < KEYS; i++) {
        readLatest(victim, i, true);
      }
    });
  }

  // ---- helpers ----

  private KvsHttpClient client(String address) {
    return cluster.client(address);
  }

  private void record(String what, Duration d) {
    timings.put(what, d);
    log("%s: %s", what, ms(d));
  }

  private void phase(String name, Executable body) throws Throwable {
    Assumptions.assumeTrue(cluster != null && failedPhase == null,
        () -> "skipped: earlier phase '" + failedPhase + "' failed");
    Instant start = Instant.now();
    try {
      body.execute();
    } catch (Throwable t) {
      failedPhase = name;
      log("PHASE FAILED: %s: %s", name, t.getMessage());
      for (String a : cluster.addresses()) {
        NodeProcess n = cluster.node(a);
        log("---- %s (%s) last log lines, %s ----%n%s", a, n.isAlive() ? "alive" : "exited", n.logFile(),
            n.logTail(25));
      }
      throw t;
    } finally {
      record("phase: " + name, Duration.between(start, Instant.now()));
    }
  }

  /** Writes version {@code version} of key {@code i} through {@code node}, chaining the metadata. */
  private void write(String node, int i, int version, boolean expectCreated) {
    JsonNode value = valueOf(i, version);
    JsonNode sent = meta;
    Attempt a = retry("PUT " + keys[i] + " via " + node, () -> client(node).put(keys[i], value, sent));
    Response r = a.response();
    if (expectCreated && !a.hadConnectionError()) {
      assertThat(r.status()).as("PUT %s via %s: %s", keys[i], node, r).isEqualTo(201);
      assertThat(r.text("result")).isEqualTo("created");
    } else if (!expectCreated) {
      assertThat(r.status()).as("PUT %s via %s: %s", keys[i], node, r).isEqualTo(200);
      assertThat(r.text("result")).isEqualTo("replaced");
    } else {
      assertThat(r.status()).as("PUT %s via %s: %s", keys[i], node, r).isIn(200, 201);
    }
    assertThat(r.causalMetadata()).as("causal-metadata of PUT %s", keys[i]).isNotNull();
    assertThat(r.shardId()).as("shard-id of PUT %s: %s", keys[i], r).isNotNull();
    meta = r.causalMetadata();
    latest[i] = value;
    Integer previous = shardOfKey.put(keys[i], r.shardId());
    if (previous != null) {
      assertThat(r.shardId()).as("shard of %s unchanged", keys[i]).isEqualTo(previous);
    }
  }

  /** Reads key {@code i} through {@code node} with the session metadata; it must be the latest value. */
  private void readLatest(String node, int i, boolean chain) {
    JsonNode sent = meta;
    Response r = retry("GET " + keys[i] + " via " + node, () -> client(node).get(keys[i], sent)).response();
    assertThat(r.status()).as("GET %s via %s: %s (stale or missing read?)", keys[i], node, r).isEqualTo(200);
    assertThat(sameJson(r.value(), latest[i]))
        .as("GET %s via %s returned %s, latest written %s (stale read)", keys[i], node, r.value(), latest[i])
        .isTrue();
    Integer s = shardOfKey.get(keys[i]);
    if (s != null) {
      assertThat(r.shardId()).as("shard-id of GET %s via %s", keys[i], node).isEqualTo(s);
    }
    if (chain && r.causalMetadata() != null && !r.causalMetadata().isNull()) {
      meta = r.causalMetadata();
    }
  }

  private Map<Integer, Long> expectedCounts() {
    Map<Integer, Long> counts = new TreeMap<>();
    for (String k : keys) {
      counts.merge(shardOfKey.get(k), 1L, Long::sum);
    }
    return counts;
  }

  private void awaitViews(List<String> nodes, Set<String> expected, Duration timeout) {
    Map<String, Set<String>> last = new LinkedHashMap<>();
    Poll.until(timeout, "views of " + nodes + " equal " + expected + " (last seen: " + last + ")", () -> {
      last.clear();
      for (String a : nodes) {
        last.put(a, new HashSet<>(client(a).viewList()));
      }
      return last.values().stream().allMatch(expected::equals);
    });
  }
}
