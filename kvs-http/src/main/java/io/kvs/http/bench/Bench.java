package io.kvs.http.bench;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar kvs-node.jar bench [flags]}: a closed-loop HTTP benchmark of kvs, each
 * figure next to a bare Javalin baseline measured in the same run with the same client.
 * See {@link BenchOptions#USAGE} for the flags.
 */
public final class Bench {
  /** One row of the results: kvs, its baseline, and the target ratio if the row has one. */
  record Row(String figure, BenchResult kvs, BenchResult baseline, Double targetRatio, Double maxP99Ms) {
    Double ratio() {
      return baseline == null || baseline.okPerSec() <= 0 ? null : kvs.okPerSec() / baseline.okPerSec();
    }

    /** Null when the row has no target or no baseline. */
    Boolean met() {
      Double r = ratio();
      if (targetRatio == null || r == null) {
        return null;
      }
      return r >= targetRatio && (maxP99Ms == null || kvs.p99Ms() <= maxP99Ms);
    }
  }

  /** One workload of a run. */
  record Workload(String figure, double getRatio, int nodes, Integer shards, int concurrency, Double targetRatio,
                  Double maxP99Ms) {}

  private Bench() {}

  /** Entry point of {@code bench}; exits with the status of {@link #run}. */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the bench described by {@code args}, printing to {@code out}.
   *
   * @return 0 on success, 2 on bad flags, 1 when a run failed
   */
  public static int run(String[] args, PrintStream out) {
    quietLogs();
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage().startsWith("usage:") ? e.getMessage() : "bench: " + e.getMessage());
      if (!e.getMessage().startsWith("usage:")) {
        out.println(BenchOptions.USAGE);
      }
      return 2;
    }
    String command = "bench " + String.join(" ", args);
    try {
      if (options.memory) {
        MemoryBench.Result result = MemoryBench.run(options, out);
        if (options.report != null) {
          Report.write(options.report, command, List.of(), result);
          out.println("report written to " + options.report);
        }
        return 0;
      }
      List<Row> rows = new ArrayList<>();
      for (Workload w : workloads(options)) {
        rows.add(measure(w, options, out));
      }
      out.println();
      out.print(Report.markdownTable(rows));
      if (options.report != null) {
        Report.write(options.report, command, rows, null);
        out.println("report written to " + options.report);
      }
      return 0;
    } catch (OutOfMemoryError e) {
      out.println("bench: out of heap (" + e.getMessage() + "); run it with more, e.g. java -Xmx4g -jar kvs-node.jar "
          + command);
      return 1;
    } catch (RuntimeException e) {
      out.println("bench: " + e);
      e.printStackTrace(out);
      return 1;
    }
  }

  static List<Workload> workloads(BenchOptions o) {
    if ("table".equals(o.scenario)) {
      return List.of(
          new Workload("GET, key held by the contacted node (1 node, 1 shard, C=32)", 1.0, 1, null, 32, 0.60, null),
          new Workload("PUT, acknowledged after its shard's replicas stored it (3-node shard, C=32)", 0.0, 3, null, 32,
              0.30, null),
          new Workload("6 nodes, 2 shards, 50/50 GET/PUT over all nodes (C=64)", 0.5, 6, 2, 64, 0.25, 20.0));
    }
    String where = o.targets.isEmpty()
        ? o.nodes + (o.nodes == 1 ? " node" : " nodes") + (o.shards == null ? "" : ", " + o.shards + " shards")
        : o.targets.size() + " target" + (o.targets.size() == 1 ? "" : "s");
    return List.of(new Workload(BenchResult.mixName(o.getRatio) + ", " + where + ", C=" + o.concurrency,
        o.getRatio, o.nodes, o.shards, o.concurrency, null, null));
  }

  private static Row measure(Workload w, BenchOptions o, PrintStream out) {
    out.println();
    out.println("== " + w.figure());
    String[] keys = LoadClient.keys(o.keys());
    byte[] value = LoadClient.value(o.valueSize());
    BaselineServer baseline = null;
    BenchCluster cluster = null;
    try {
      List<LoadClient.Side> sides = new ArrayList<>();
      if (o.baseline) {
        baseline = new BaselineServer(0);
        sides.add(new LoadClient.Side("baseline", List.of(baseline.address()), BaselineServer.PREFIX));
      }
      List<String> targets = o.targets;
      if (targets.isEmpty()) {
        out.println("starting " + w.nodes() + " node(s)" + (w.shards() == null ? "" : ", " + w.shards() + " shards"));
        cluster = new BenchCluster(w.nodes(), w.shards() == null || w.shards() <= 1 ? null : w.shards());
        targets = cluster.addresses;
      }
      sides.add(new LoadClient.Side("kvs", targets, "/kvs/"));
      if (w.getRatio() > 0) {
        for (LoadClient.Side side : sides) {
          preload(side.targets(), side.pathPrefix(), keys, value);
        }
      }
      if (sides.size() > 1) {
        out.println("baseline and kvs run in alternating slices of " + o.sliceMs + " ms");
      }
      LoadClient.Spec spec = new LoadClient.Spec(w.getRatio(), o.keys(), o.valueSize(), w.concurrency(), o.warmupSec(),
          o.durationSec, o.client, o.clientThreads, o.sliceMs);
      List<BenchResult> results = LoadClient.run(spec, sides, out);
      BenchResult kvs = results.get(results.size() - 1);
      BenchResult base = results.size() > 1 ? results.get(0) : null;
      if (base != null) {
        out.println(base.summary());
      }
      out.println(kvs.summary());
      Row row = new Row(w.figure(), kvs, base, w.targetRatio(), w.maxP99Ms());
      if (row.ratio() != null) {
        out.printf(Locale.ROOT, "ratio kvs/baseline: %.2f%s%n", row.ratio(),
            row.targetRatio() == null ? "" : " (target " + row.targetRatio() + ")");
      }
      return row;
    } finally {
      if (cluster != null) {
        cluster.close();
      }
      if (baseline != null) {
        baseline.close();
      }
    }
  }

  /** Writes every key once (so that GETs find them), spread over the targets, 4 connections at a time. */
  static void preload(List<String> targets, String prefix, String[] keys, byte[] value) {
    byte[] body = ("{\"value\":" + new String(value, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
    int threads = Math.min(4, keys.length);
    List<Thread> workers = new ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker = new Thread(() -> {
        try {
          for (int i = first; i < keys.length; i += threads) {
            String target = targets.get(i % targets.size());
            putWithRetries(target, RawHttp.request("PUT", prefix + keys[i], target, body, body.length));
          }
        } catch (RuntimeException e) {
          synchronized (failure) {
            failure[0] = e;
          }
        } finally {
          closePreloadSocket();
        }
      }, "bench-preload-" + t);
      worker.start();
      workers.add(worker);
    }
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while preloading", e);
      }
    }
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private static final ThreadLocal<Socket[]> PRELOAD_SOCKET = ThreadLocal.withInitial(() -> new Socket[1]);

  private static void putWithRetries(String target, byte[] request) {
    RawHttp.Response response = new RawHttp.Response();
    String last = "";
    for (int attempt = 0; attempt < 100; attempt++) {
      try {
        int status = exchange(target, request, response);
        if (status >= 200 && status < 300) {
          return;
        }
        last = "status " + status;
      } catch (java.io.IOException | RuntimeException e) {
        last = e.toString();
        closePreloadSocket();
      }
      sleep(50);
    }
    throw new IllegalStateException("cannot preload a key at " + target + ": " + last);
  }

  private static int exchange(String target, byte[] request, RawHttp.Response response) throws java.io.IOException {
    Socket[] holder = PRELOAD_SOCKET.get();
    if (holder[0] == null || !target.equals(holder[0].getInetAddress().getHostAddress() + ":" + holder[0].getPort())) {
      closePreloadSocket();
      holder[0] = BlockingHttp.connect(target);
    }
    OutputStream output = holder[0].getOutputStream();
    InputStream input = holder[0].getInputStream();
    output.write(request);
    output.flush();
    byte[] in = new byte[8192];
    int len = 0;
    while (!RawHttp.parse(in, len, response)) {
      if (len == in.length) {
        in = Arrays.copyOf(in, in.length * 2);
      }
      int n = input.read(in, len, in.length - len);
      if (n < 0) {
        throw new java.io.IOException("connection closed");
      }
      len += n;
    }
    if (response.close) {
      closePreloadSocket();
    }
    return response.status;
  }

  private static void closePreloadSocket() {
    Socket[] holder = PRELOAD_SOCKET.get();
    if (holder[0] != null) {
      try {
        holder[0].close();
      } catch (java.io.IOException e) {
        // closing anyway
      }
      holder[0] = null;
    }
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Node logs at warn, unless the user configured slf4j-simple otherwise. */
  private static void quietLogs() {
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
  }
}
