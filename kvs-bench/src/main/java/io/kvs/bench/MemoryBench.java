package io.kvs.bench;

import io.kvs.http.KvsServer;
import io.kvs.api.Session;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bench --memory}: heap per key per replica. Starts a 3-node, 1-shard cluster in this
 * JVM, measures the heap after a full GC, writes N keys through the embedding API (each node
 * coordinates a third; every write is replicated over HTTP to the two others), waits until
 * every replica holds N keys, measures again, and reports
 * {@code (loaded - empty) / 3 / N - (key bytes + value bytes)}.
 */
final class MemoryBench {
  static final int REPLICAS = 3;
  /** Writes in flight at once while loading. */
  private static final int WINDOW = 2048;
  /** Heap per key per replica beyond the key and value bytes that the memory row allows. */
  private static final int TARGET_OVERHEAD_BYTES = 250;

  /** The measurement; byte figures are per key per replica unless named otherwise. */
  record Result(int keys, int valueBytes, double keyBytes, long emptyHeapBytes, long loadedHeapBytes,
                double heapPerKeyPerReplica, double overheadPerKeyPerReplica, double loadSeconds, int targetBytes) {
    boolean met() {
      return overheadPerKeyPerReplica <= targetBytes;
    }

    String markdown() {
      return String.format(Locale.ROOT, String.join("\n",
          "## Heap per key",
          "",
          "| keys | value bytes | key bytes | heap per key per replica | beyond key + value | target | met |",
          "|---:|---:|---:|---:|---:|---|---|",
          "| %d | %d | %.1f | %.1f B | %.1f B | ≤ %d B | %s |",
          "",
          "3 replicas (one shard of 3 nodes) in one JVM; heap after a full GC, empty cluster %.1f MiB, loaded"
              + " %.1f MiB; loaded in %.1f s.",
          ""), keys, valueBytes, keyBytes, heapPerKeyPerReplica, overheadPerKeyPerReplica, targetBytes,
          met() ? "yes" : "**no**", emptyHeapBytes / 1048576.0, loadedHeapBytes / 1048576.0, loadSeconds);
    }
  }

  private MemoryBench() {}

  /**
   * Measures the heap per key per replica, printing progress and the result to {@code out}.
   *
   * @param o the options; {@code --keys} and {@code --value-size} are used
   * @return the measurement
   * @throws IllegalStateException when a write fails or the replicas do not converge
   */
  static Result run(BenchOptions o, PrintStream out) {
    int n = o.keys();
    int valueSize = o.valueSize();
    String[] keys = LoadClient.keys(n);
    String value = "x".repeat(Math.max(0, valueSize - 2));
    out.printf(Locale.ROOT, "memory: %d keys, %d-byte values, 3-node 1-shard cluster, max heap %d MiB%n", n, valueSize,
        Runtime.getRuntime().maxMemory() >> 20);
    try (BenchCluster cluster = new BenchCluster(REPLICAS, null)) {
      List<Session> sessions = warmSessions(cluster, value);
      long empty = heapAfterGc();
      out.printf(Locale.ROOT, "empty cluster: %.1f MiB heap after GC%n", empty / 1048576.0);
      long startNanos = System.nanoTime();
      load(sessions, keys, value, out);
      double loadSeconds = (System.nanoTime() - startNanos) / 1e9;
      awaitReplicas(cluster, n + 1, out);
      Bench.sleep(1000);
      long loaded = heapAfterGc();
      double keyBytes = averageBytes(keys);
      double perKey = (loaded - empty) / (double) REPLICAS / n;
      Result r = new Result(n, valueSize, keyBytes, empty, loaded, perKey, perKey - keyBytes - valueSize, loadSeconds,
          TARGET_OVERHEAD_BYTES);
      out.printf(Locale.ROOT, "loaded %d keys in %.1f s; heap after GC %.1f MiB%n", n, loadSeconds,
          loaded / 1048576.0);
      out.printf(Locale.ROOT,
          "heap per key per replica: %.1f bytes = %.1f key + %d value + %.1f overhead (target ≤ %d)%n",
          perKey, keyBytes, valueSize, r.overheadPerKeyPerReplica(), r.targetBytes());
      return r;
    }
  }

  /**
   * A session on each node, after warming the write path. The same key written over and over
   * leaves one key behind, counted as part of the empty cluster's heap.
   */
  private static List<Session> warmSessions(BenchCluster cluster, String value) {
    List<Session> sessions = new ArrayList<>();
    for (KvsServer server : cluster.servers) {
      sessions.add(server.openSession());
    }
    for (int i = 0; i < 200; i++) {
      sessions.get(i % REPLICAS).put("warm-up", value);
    }
    Bench.sleep(500);
    return sessions;
  }

  private static double averageBytes(String[] keys) {
    double total = 0;
    for (String k : keys) {
      total += k.getBytes(StandardCharsets.UTF_8).length;
    }
    return total / keys.length;
  }

  private static void load(List<Session> sessions, String[] keys, String value, PrintStream out) {
    Semaphore window = new Semaphore(WINDOW);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long lastReport = System.nanoTime();
    for (int i = 0; i < keys.length; i++) {
      if (failure.get() != null) {
        break;
      }
      window.acquireUninterruptibly();
      CompletableFuture<Void> put = sessions.get(i % sessions.size()).putAsync(keys[i], value);
      put.whenComplete((ok, error) -> {
        if (error != null) {
          failure.compareAndSet(null, error);
        }
        window.release();
      });
      long now = System.nanoTime();
      if (now - lastReport > 1_000_000_000L) {
        out.printf(Locale.ROOT, "[memory] %d of %d keys written%n", i + 1, keys.length);
        lastReport = now;
      }
    }
    window.acquireUninterruptibly(WINDOW);
    if (failure.get() != null) {
      throw new IllegalStateException("a write failed while loading: " + failure.get(), failure.get());
    }
  }

  /** Waits (up to two minutes) until every node's replica holds {@code expected} keys. */
  private static void awaitReplicas(BenchCluster cluster, long expected, PrintStream out) {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (true) {
      List<Long> counts = new ArrayList<>();
      for (String address : cluster.addresses) {
        counts.add(keyCount(address));
      }
      if (counts.stream().allMatch(c -> c == expected)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replicas did not converge to " + expected + " keys: " + counts);
      }
      out.println("[memory] waiting for replicas: key counts " + counts);
      Bench.sleep(1000);
    }
  }

  /** The key count of {@code address}'s replica of shard 0; -1 when it cannot be had. */
  private static long keyCount(String address) {
    try (java.net.Socket socket = BlockingHttp.connect(address)) {
      byte[] request = RawHttp.request("GET", "/shard/key-count/0", address, new byte[0], 0);
      socket.getOutputStream().write(request);
      RawHttp.Response response = new RawHttp.Response();
      new BlockingHttp.ResponseReader(4096).read(socket.getInputStream(), response);
      String body = new String(response.body, 0, response.bodyLength, StandardCharsets.UTF_8);
      return Long.parseLong(body.replaceAll("[^0-9]", ""));
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Heap in use after full collections (the least of a few, so a concurrent allocation does not count). */
  static long heapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      Bench.sleep(200);
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }
}
