package io.kvs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The bench command's flags, with their defaults. */
final class BenchOptions {
  static final String USAGE = String.join("\n",
      "usage: java -jar kvs-bench.jar [flags]",
      "       java -jar kvs-bench.jar --deployed [flags]  (each node its own process, wrk; --deployed --help)",
      "  --scenario single|table  single (default): one workload; table: the three rows of the",
      "                           performance table (GET 1 node; PUT 3-node shard; 50/50 on 6 nodes,",
      "                           2 shards), each with its baseline",
      "  --mix get|put|mixed|R    operation mix; R = share of GETs, 0..1 (default get; mixed = 0.5)",
      "  --keys N                 distinct keys (default 1000; 1000000 with --memory)",
      "  --value-size B           bytes of each JSON value (default 16; 100 with --memory)",
      "  --concurrency C          concurrent client sessions, one connection each (default 32)",
      "  --duration S             measured seconds (default 10)",
      "  --warmup S               warm-up seconds before each measurement (default 10; 15 per row",
      "                           of the table; the JIT needs tens of seconds on a busy 2-core box)",
      "  --nodes N                nodes of the in-process cluster (default 1)",
      "  --shards S               shards (default: none, one replicated shard)",
      "  --targets a,b,c          measure running nodes at these IP:PORT addresses instead",
      "  --no-baseline            skip the bare Javalin baseline",
      "  --baseline javalin|memory  what kvs is measured against (default javalin: a bare Javalin",
      "                           map node); memory: the same in-process cluster without a data",
      "                           directory, so --data-dir's cost is a ratio taken in one run",
      "  --slice-ms MS            baseline and kvs alternate in slices of MS ms (default 1000)",
      "  --client nio|blocking    client driver (default nio: a few selector threads)",
      "  --client-threads T       selector threads of the nio client (default 2)",
      "  --report FILE            also write the results to FILE (.md for Markdown, .json for JSON)",
      "  --data-dir DIR           give each in-process node a data directory under DIR (emptied first)",
      "  --fsync always|interval|never  fsync policy with --data-dir (default always)",
      "  --memory                 heap per key: load --keys keys into a 3-node, 1-shard cluster",
      "                           in this JVM and measure the heap after a full GC");

  String scenario = "single";
  double getRatio = 1.0;
  Integer keys;
  Integer valueSize;
  int concurrency = 32;
  double durationSec = 10;
  Double warmupSec;
  int nodes = 1;
  Integer shards;
  List<String> targets = List.of();
  boolean baseline = true;
  /** The baseline's kind: "javalin" (a bare map node) or "memory" (the same cluster, in memory). */
  String baselineKind = "javalin";
  String client = "nio";
  int clientThreads = 2;
  int sliceMs = 1000;
  String report;
  boolean memory;
  String dataDir;
  String fsync = "always";

  /**
   * Warm-up seconds of each workload. The JIT compiles Jetty, Javalin, Jackson and the node
   * for tens of seconds on a busy two-core machine, and measures taken meanwhile are low.
   */
  double warmupSec() {
    return warmupSec != null ? warmupSec : "table".equals(scenario) ? 15 : 10;
  }

  /** Distinct keys: {@code --keys}, else 1000, or a million with {@code --memory}. */
  int keys() {
    return keys != null ? keys : memory ? 1_000_000 : 1000;
  }

  /** Bytes of each JSON value: {@code --value-size}, else 16, or 100 with {@code --memory}. */
  int valueSize() {
    return valueSize != null ? valueSize : memory ? 100 : 16;
  }

  /**
   * Parses the flags of {@code bench}.
   *
   * @param args the flags after {@code bench}
   * @return the options, defaults where a flag is absent
   * @throws IllegalArgumentException with one sentence on a bad flag, or with {@link #USAGE}
   *     as its message for {@code --help}
   */
  static BenchOptions parse(String[] args) {
    BenchOptions options = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--no-baseline" -> options.baseline = false;
        case "--memory" -> options.memory = true;
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument "
                + flag);
          }
          options.set(flag, args[++i]);
        }
      }
    }
    options.checkCombination();
    return options;
  }

  private void set(String flag, String value) {
    switch (flag) {
      case "--scenario" -> scenario = oneOf(flag, value, "single", "table");
      case "--mix" -> getRatio = mix(value);
      case "--keys" -> keys = positive(flag, value);
      case "--value-size" -> valueSize = Math.max(2, positive(flag, value));
      case "--concurrency" -> concurrency = positive(flag, value);
      case "--duration" -> durationSec = seconds(flag, value, false);
      case "--warmup" -> warmupSec = seconds(flag, value, true);
      case "--nodes" -> nodes = positive(flag, value);
      case "--shards" -> shards = positive(flag, value);
      case "--targets" -> targets = targets(value);
      case "--client" -> client = oneOf(flag, value, "nio", "blocking");
      case "--client-threads" -> clientThreads = positive(flag, value);
      case "--slice-ms" -> sliceMs = Math.max(50, positive(flag, value));
      case "--report" -> report = value;
      case "--data-dir" -> dataDir = value;
      case "--fsync" -> fsync = oneOf(flag, value, "always", "interval", "never");
      case "--baseline" -> baselineKind = oneOf(flag, value, "javalin", "memory");
      default -> throw new IllegalArgumentException("unknown option " + flag);
    }
  }

  /** Refuses flags that are fine alone but not together. */
  private void checkCombination() {
    if (shards != null && shards > 1 && nodes < 2 * shards && targets.isEmpty()) {
      throw new IllegalArgumentException("--shards " + shards + " needs at least " + 2 * shards + " nodes");
    }
    if ("memory".equals(baselineKind) && (dataDir == null || !targets.isEmpty())) {
      throw new IllegalArgumentException("--baseline memory compares in-process clusters: it needs --data-dir and no --targets");
    }
    if (report != null && !report.endsWith(".md") && !report.endsWith(".json")) {
      throw new IllegalArgumentException("--report must name a .md or .json file");
    }
  }

  private static double mix(String v) {
    switch (v.toLowerCase(Locale.ROOT)) {
      case "get":
        return 1.0;
      case "put":
        return 0.0;
      case "mixed":
        return 0.5;
      default:
        try {
          double r = Double.parseDouble(v);
          if (r >= 0 && r <= 1) {
            return r;
          }
        } catch (NumberFormatException e) {
          // reported below
        }
        throw new IllegalArgumentException("--mix must be get, put, mixed or a share of GETs from 0 to 1, got '"
            + v + "'");
    }
  }

  private static List<String> targets(String v) {
    List<String> list = new ArrayList<>();
    for (String t : v.split(",")) {
      String a = t.trim();
      if (!a.matches("[^:/\\s]+:[0-9]{1,5}")) {
        throw new IllegalArgumentException("--targets takes IP:PORT addresses separated by commas, got '" + t + "'");
      }
      list.add(a);
    }
    return list;
  }

  static String oneOf(String flag, String v, String... allowed) {
    if (Arrays.asList(allowed).contains(v)) {
      return v;
    }
    throw new IllegalArgumentException(flag + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
  }

  private static int positive(String flag, String v) {
    try {
      int n = Integer.parseInt(v);
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive integer, got '" + v + "'");
  }

  private static double seconds(String flag, String v, boolean zeroAllowed) {
    try {
      double s = Double.parseDouble(v);
      if (s > 0 || zeroAllowed && s == 0) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a number of seconds, got '" + v + "'");
  }
}
