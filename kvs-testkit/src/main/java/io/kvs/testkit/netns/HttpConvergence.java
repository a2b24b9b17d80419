package io.kvs.testkit.netns;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Convergence (G2), placement (G5) and membership (G6) checked over HTTP only, on a quiet
 * cluster:
 * <ul>
 *   <li>every live node's {@code GET /view} is exactly the expected live set;</li>
 *   <li>every node reports the same shard ids and the same members per shard; shards are
 *       {@code 0..n-1}, each has at least two members, no node is in two shards, and every
 *       expected node is in one;</li>
 *   <li>every node reports the same key count per shard (a member answers for its own shard from
 *       what it stores), and that count is the number of keys found in that shard;</li>
 *   <li>every key read without metadata at every live node gives the same answer. Every member of
 *       a key's shard answers from what it holds, and the others relay a member's answer, so this
 *       compares every replica.</li>
 * </ul>
 * {@link #awaitConverged} polls these until they all hold, with a deadline.
 */
public final class HttpConvergence {
  private final Duration timeout;

  /** @param requestTimeout the timeout of each probing request */
  public HttpConvergence(Duration requestTimeout) {
    this.timeout = requestTimeout;
  }

  /**
   * One key's answer at one node.
   *
   * @param status 200, 404, other, or -1 for no answer
   * @param value the raw JSON value when found
   * @param shardId the shard named in the answer, if any
   */
  public record KeyAnswer(int status, String value, Integer shardId) {
    /** Status and value, which must agree everywhere. */
    public String outcome() {
      return status == 200 ? value : Integer.toString(status);
    }
  }

  /**
   * What every node said.
   *
   * @param views node to its view
   * @param layouts node to (shard id to members)
   * @param keyCounts node to (shard id to key count)
   * @param keys key to (node to answer)
   * @param errors nodes that failed to answer a query, with the error
   */
  public record Snapshot(Map<String, Set<String>> views, Map<String, Map<Integer, Set<String>>> layouts,
                         Map<String, Map<Integer, Long>> keyCounts, Map<String, Map<String, KeyAnswer>> keys,
                         Map<String, String> errors) {
    /** The agreed layout (of the first node), or an empty map. */
    public Map<Integer, Set<String>> layout() {
      return layouts.values().stream().findFirst().orElse(Map.of());
    }

    /** The shard of each key found (200) at some node. */
    public Map<String, Integer> shardOfKey() {
      Map<String, Integer> out = new TreeMap<>();
      keys.forEach((k, byNode) -> byNode.values().stream().map(KeyAnswer::shardId).filter(Objects::nonNull)
          .findFirst().ifPresent(s -> out.put(k, s)));
      return out;
    }

    /** The agreed answer of each key (that of the first node). */
    public Map<String, KeyAnswer> answers() {
      Map<String, KeyAnswer> out = new TreeMap<>();
      keys.forEach((k, byNode) -> byNode.values().stream().findFirst().ifPresent(a -> out.put(k, a)));
      return out;
    }
  }

  /**
   * The outcome of a wait.
   *
   * @param took from the call until everything held
   * @param polls how many snapshots were taken
   * @param snapshot the converged snapshot
   */
  public record Converged(Duration took, int polls, Snapshot snapshot) {
  }

  /** Asks every node in {@code nodes} (in parallel, one thread per node) everything above. */
  public Snapshot snapshot(Collection<String> nodes, Collection<String> keys) {
    Map<String, Set<String>> views = new TreeMap<>();
    Map<String, Map<Integer, Set<String>>> layouts = new TreeMap<>();
    Map<String, Map<Integer, Long>> counts = new TreeMap<>();
    Map<String, Map<String, KeyAnswer>> byKey = new TreeMap<>();
    Map<String, String> errors = new TreeMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, nodes.size()));
    try {
      Map<String, Future<NodeReport>> futures = new LinkedHashMap<>();
      for (String n : nodes) {
        futures.put(n, pool.submit(() -> probe(n, keys)));
      }
      for (Map.Entry<String, Future<NodeReport>> e : futures.entrySet()) {
        NodeReport r;
        try {
          r = e.getValue().get();
        } catch (Exception ex) {
          errors.put(e.getKey(), ex.toString());
          continue;
        }
        if (r.error != null) {
          errors.put(e.getKey(), r.error);
        }
        if (r.view != null) {
          views.put(e.getKey(), r.view);
        }
        if (r.layout != null) {
          layouts.put(e.getKey(), r.layout);
        }
        if (r.counts != null) {
          counts.put(e.getKey(), r.counts);
        }
        r.keys.forEach((k, a) -> byKey.computeIfAbsent(k, x -> new TreeMap<>()).put(e.getKey(), a));
      }
    } finally {
      pool.shutdownNow();
    }
    return new Snapshot(views, layouts, counts, byKey, errors);
  }

  private static final class NodeReport {
    Set<String> view;
    Map<Integer, Set<String>> layout;
    Map<Integer, Long> counts;
    final Map<String, KeyAnswer> keys = new TreeMap<>();
    String error;
  }

  private NodeReport probe(String node, Collection<String> keys) {
    NodeReport r = new NodeReport();
    try {
      r.view = new TreeSet<>(ok(node, "/view").list("view"));
      Map<Integer, Set<String>> layout = new TreeMap<>();
      Map<Integer, Long> counts = new TreeMap<>();
      for (String id : ok(node, "/shard/ids").list("shard-ids")) {
        int s = Integer.parseInt(id);
        layout.put(s, new TreeSet<>(ok(node, "/shard/members/" + s).list("shard-members")));
        counts.put(s, Long.parseLong(ok(node, "/shard/key-count/" + s).raw("shard-key-count")));
      }
      r.layout = layout;
      r.counts = counts;
      for (String k : keys) {
        NodeHttp.Answer a;
        try {
          a = NodeHttp.send(node, "GET", "/kvs/" + io.kvs.testkit.process.KvsHttpClient.encodeSegment(k), null,
              timeout);
        } catch (IOException e) {
          r.keys.put(k, new KeyAnswer(-1, null, null));
          continue;
        }
        r.keys.put(k, new KeyAnswer(a.status(), a.status() == 200 ? a.raw("value") : null, a.shardId()));
      }
    } catch (IOException | RuntimeException e) {
      r.error = e.toString();
    }
    return r;
  }

  private NodeHttp.Answer ok(String node, String path) throws IOException {
    NodeHttp.Answer a = NodeHttp.send(node, "GET", path, null, timeout);
    if (a.status() != 200) {
      throw new IOException("GET " + path + " at " + node + " answered " + a);
    }
    return a;
  }

  /**
   * Every way {@code s} falls short of convergence; empty when converged.
   *
   * @param expectedLive the nodes that must form the view and the shards
   * @param expectedShards the number of shards, or -1 for any
   */
  public static List<String> problems(Snapshot s, Collection<String> expectedLive, int expectedShards) {
    List<String> out = new ArrayList<>();
    Set<String> live = new TreeSet<>(expectedLive);
    s.errors().forEach((n, e) -> out.add(n + " did not answer: " + e));
    s.views().forEach((n, v) -> {
      if (!v.equals(live)) {
        out.add("view of " + n + " is " + v + ", expected " + live);
      }
    });
    if (!out.isEmpty()) {
      return out;
    }
    Map<Integer, Set<String>> first = s.layout();
    s.layouts().forEach((n, l) -> {
      if (!l.equals(first)) {
        out.add("layout of " + n + " is " + l + ", but " + s.layouts().keySet().iterator().next() + " says " + first);
      }
    });
    if (expectedShards >= 0 && first.size() != expectedShards) {
      out.add(first.size() + " shards " + first.keySet() + ", expected " + expectedShards);
    }
    Set<String> assigned = new TreeSet<>();
    int index = 0;
    for (Map.Entry<Integer, Set<String>> e : first.entrySet()) {
      if (e.getKey() != index++) {
        out.add("shard ids are not 0..n-1: " + first.keySet());
      }
      if (e.getValue().size() < 2) {
        out.add("shard " + e.getKey() + " has fewer than two members: " + e.getValue());
      }
      for (String m : e.getValue()) {
        if (!assigned.add(m)) {
          out.add(m + " is in more than one shard: " + first);
        }
      }
    }
    if (!assigned.equals(live)) {
      out.add("shard members " + assigned + " are not the live nodes " + live);
    }
    Map<Integer, Long> firstCounts = s.keyCounts().values().stream().findFirst().orElse(Map.of());
    s.keyCounts().forEach((n, c) -> {
      if (!c.equals(firstCounts)) {
        out.add("key counts at " + n + " are " + c + ", but " + s.keyCounts().keySet().iterator().next()
            + " says " + firstCounts);
      }
    });
    Map<Integer, Long> found = new TreeMap<>();
    s.keys().forEach((k, byNode) -> {
      Set<String> outcomes = new TreeSet<>();
      byNode.values().forEach(a -> outcomes.add(a.outcome()));
      if (outcomes.size() != 1) {
        out.add("key " + k + " reads differ: " + byNode);
      } else {
        KeyAnswer a = byNode.values().iterator().next();
        if (a.status() != 200 && a.status() != 404) {
          out.add("key " + k + " answered " + a);
        }
      }
      byNode.values().stream().filter(a -> a.status() == 200 && a.shardId() != null).findFirst()
          .ifPresent(a -> found.merge(a.shardId(), 1L, Long::sum));
    });
    if (out.isEmpty()) {
      for (Map.Entry<Integer, Long> e : firstCounts.entrySet()) {
        long keysFound = found.getOrDefault(e.getKey(), 0L);
        if (keysFound != e.getValue()) {
          out.add("shard " + e.getKey() + " reports " + e.getValue() + " keys but " + keysFound + " are readable in it");
        }
      }
    }
    return out;
  }

  /**
   * Polls {@link #snapshot} until {@link #problems} is empty.
   *
   * @throws AssertionError listing what still disagreed (at most 15 lines) when {@code within} passes
   */
  public Converged awaitConverged(Collection<String> live, Collection<String> keys, int expectedShards,
                                  Duration within) {
    long start = System.nanoTime();
    long deadline = start + within.toNanos();
    int polls = 0;
    List<String> last;
    while (true) {
      polls++;
      Snapshot s = snapshot(live, keys);
      last = problems(s, live, expectedShards);
      if (last.isEmpty()) {
        return new Converged(Duration.ofNanos(System.nanoTime() - start), polls, s);
      }
      if (System.nanoTime() > deadline) {
        break;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("Not converged within " + within.toMillis() + " ms (" + polls + " polls); still:\n  "
        + String.join("\n  ", last.subList(0, Math.min(15, last.size())))
        + (last.size() > 15 ? "\n  ... " + (last.size() - 15) + " more" : ""));
  }
}
