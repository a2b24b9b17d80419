package io.kvs.testkit.e2e;

import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.testkit.process.KvsHttpClient;
import io.kvs.testkit.process.KvsHttpClient.Response;
import io.kvs.testkit.process.NodeProcess;
import io.kvs.testkit.process.Poll;
import io.kvs.testkit.process.ProcessCluster;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers of the end-to-end tests: addresses, retries, cluster-wide agreement checks. */
final class E2ESupport {
  /** Port every node listens on, each on its own loopback IP. */
  static final int PORT = 8090;

  /** Shorter failure detection than the defaults, so a crash is noticed within a few seconds. */
  static final Map<String, String> FAST_FAILURE_DETECTION = Map.of(
      "KVS_HEARTBEAT_INTERVAL_MS", "500",
      "KVS_SUSPECT_AFTER_MS", "1500",
      "KVS_REMOVE_AFTER_MS", "3000");

  /** How long one request keeps being retried while it answers 503 or cannot connect. */
  static final Duration RETRY_FOR = Duration.ofSeconds(15);

  /** 503 answers and connection errors seen (and retried) by {@link #retry}. */
  static final AtomicInteger RETRIED_503 = new AtomicInteger();
  static final AtomicInteger RETRIED_ERRORS = new AtomicInteger();

  private E2ESupport() {
  }

  /** {@code 127.0.0.<first>:8090}, {@code 127.0.0.<first+1>:8090}, ... */
  static List<String> loopbackAddresses(int first, int count) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add("127.0.0." + (first + i) + ":" + PORT);
    }
    return out;
  }

  /** The node jar, or a test failure with a clear message. */
  static Path nodeJarOrFail() {
    try {
      return NodeProcess.locateJar();
    } catch (IllegalStateException e) {
      return fail(e.getMessage());
    }
  }

  /** Skips the test (one clear line) when this machine cannot listen on the addresses. */
  static void assumeBindable(List<String> addresses) {
    Optional<String> problem = ProcessCluster.cannotBind(addresses);
    String line = "Skipping real-process e2e test: " + problem.orElse("") + "; needs loopback addresses 127.0.0.x";
    if (problem.isPresent()) {
      log("%s", line);
    }
    Assumptions.assumeTrue(problem.isEmpty(), line);
  }

  static Path logDir(Class<?> testClass) {
    return Path.of("target", "e2e-logs", testClass.getSimpleName());
  }

  /** One line of test output. */
  static void log(String format, Object... args) {
    System.out.printf("[e2e] " + format + "%n", args);
    System.out.flush();
  }

  /** An answer and whether an earlier attempt of the same request failed without an answer. */
  record Attempt(Response response, int attempts, boolean hadConnectionError) {
  }

  /**
   * Sends a request until it is answered with something other than 503 (bounded by
   * {@link #RETRY_FOR}); connection errors are retried too.
   */
  static Attempt retry(String what, Supplier<Response> request) {
    Instant deadline = Instant.now().plus(RETRY_FOR);
    int[] attempts = {0};
    boolean[] error = {false};
    Response r = Poll.value(deadline, what + " answered other than 503", () -> {
      attempts[0]++;
      try {
        Response resp = request.get();
        if (resp.status() == 503) {
          RETRIED_503.incrementAndGet();
        }
        return resp;
      } catch (UncheckedIOException e) {
        error[0] = true;
        RETRIED_ERRORS.incrementAndGet();
        throw e;
      }
    }, resp -> resp.status() != 503);
    return new Attempt(r, attempts[0], error[0]);
  }

  /** What one node says about shards: id to sorted member set. */
  static Map<Integer, TreeSet<String>> layoutSeenBy(KvsHttpClient c) {
    Map<Integer, TreeSet<String>> layout = new TreeMap<>();
    for (int id : c.shardIdList()) {
      layout.put(id, new TreeSet<>(c.shardMemberList(id)));
    }
    return layout;
  }

  /** Key counts one node reports, by shard id. */
  static Map<Integer, Long> keyCountsSeenBy(KvsHttpClient c) {
    Map<Integer, Long> counts = new TreeMap<>();
    for (int id : c.shardIdList()) {
      counts.put(id, c.keyCountValue(id));
    }
    return counts;
  }

  /**
   * Polls until every node reports the same shard layout, with ids {@code 0..shards-1}, at least
   * two members per shard, disjoint shards, and {@code members} the union of all shards.
   *
   * @return the agreed layout
   */
  static Map<Integer, TreeSet<String>> awaitAgreedLayout(List<String> nodes, int shards,
                                                          List<String> members, Duration timeout) {
    TreeSet<String> expectedMembers = new TreeSet<>(members);
    Map<String, Map<Integer, TreeSet<String>>> last = new LinkedHashMap<>();
    return Poll.value(Instant.now().plus(timeout),
        "all of " + nodes + " agree on " + shards + " shards of >= 2 members covering " + expectedMembers
            + " (last seen: " + last + ")",
        () -> {
          last.clear();
          for (String a : nodes) {
            last.put(a, layoutSeenBy(new KvsHttpClient(a)));
          }
          return last.get(nodes.get(0));
        },
        layout -> {
          if (!last.values().stream().allMatch(layout::equals)) {
            return false;
          }
          if (!layout.keySet().equals(range(shards))) {
            return false;
          }
          TreeSet<String> union = new TreeSet<>();
          int total = 0;
          for (TreeSet<String> m : layout.values()) {
            if (m.size() < 2) {
              return false;
            }
            union.addAll(m);
            total += m.size();
          }
          return union.equals(expectedMembers) && total == union.size();
        });
  }

  /** Polls until every node reports exactly {@code expected} (shard id to key count). */
  static Duration awaitKeyCounts(List<String> nodes, Map<Integer, Long> expected, Duration timeout) {
    Map<String, Map<Integer, Long>> last = new LinkedHashMap<>();
    Instant start = Instant.now();
    Poll.value(Instant.now().plus(timeout),
        "every node of " + nodes + " reports key counts " + expected + " (last seen: " + last + ")",
        () -> {
          last.clear();
          for (String a : nodes) {
            last.put(a, keyCountsSeenBy(new KvsHttpClient(a)));
          }
          return last;
        },
        seen -> seen.values().stream().allMatch(expected::equals));
    return Duration.between(start, Instant.now());
  }

  static TreeSet<Integer> range(int n) {
    TreeSet<Integer> s = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      s.add(i);
    }
    return s;
  }

  /** The value written to key {@code i} in {@code version}: text, number or object by turns. */
  static JsonNode valueOf(int i, int version) {
    if (version > 0) {
      return KvsHttpClient.JSON.getNodeFactory().textNode("v" + version + "-" + i);
    }
    switch (i % 3) {
      case 0:
        return KvsHttpClient.JSON.getNodeFactory().textNode("value-" + i);
      case 1:
        return KvsHttpClient.JSON.getNodeFactory().numberNode(i * 10);
      default:
        return KvsHttpClient.JSON.createObjectNode().put("i", i).put("even", i % 2 == 0)
            .set("tags", KvsHttpClient.JSON.createArrayNode().add("a").add(i));
    }
  }

  /** Whether two JSON values are equal, numbers compared by value (10 equals 10.0 and 10L). */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a == null || b == null) {
      return a == b;
    }
    return a.equals((x, y) -> {
      if (x.isNumber() && y.isNumber()) {
        return x.decimalValue().compareTo(y.decimalValue());
      }
      return x.equals(y) ? 0 : 1;
    }, b);
  }

  static String ms(Duration d) {
    return d.toMillis() + " ms";
  }
}
