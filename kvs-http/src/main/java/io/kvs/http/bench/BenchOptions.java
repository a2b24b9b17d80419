package io.kvs.http.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The bench command's flags, with their defaults. */
final class BenchOptions {
  static final String USAGE = String.join("\n",
      "usage: java -jar kvs-node.jar bench [flags]",
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
      "  --slice-ms MS            baseline and kvs alternate in slices of MS ms (default 1000)",
      "  --client nio|blocking    client driver (default nio: a few selector threads)",
      "  --client-threads T       selector threads of the nio client (default 2)",
      "  --report FILE            also write the results to FILE (.md for Markdown, .json for JSON)",
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
  String client = "nio";
  int clientThreads = 2;
  int sliceMs = 1000;
  String report;
  boolean memory;

  /**
   * Warm-up seconds of each workload. The JIT compiles Jetty, Javalin, Jackson and the node
   * for tens of seconds on a busy two-core machine, and measures taken meanwhile are low.
   */
  double warmupSec() {
    return warmupSec != null ? warmupSec : "table".equals(scenario) ? 15 : 10;
  }

  int keys() {
    return keys != null ? keys : memory ? 1_000_000 : 1000;
  }

  int valueSize() {
    return valueSize != null ? valueSize : memory ? 100 : 16;
  }

  /** Parses {@code args}; {@link IllegalArgumentException} with one sentence on a bad flag. */
  static BenchOptions parse(String[] args) {
    BenchOptions o = new BenchOptions();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      switch (flag) {
        case "--no-baseline" -> o.baseline = false;
        case "--memory" -> o.memory = true;
        case "--help", "-h" -> throw new IllegalArgumentException(USAGE);
        default -> {
          if (i + 1 >= args.length) {
            throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument "
                + flag);
          }
          String v = args[++i];
          switch (flag) {
            case "--scenario" -> o.scenario = oneOf(flag, v, "single", "table");
            case "--mix" -> o.getRatio = mix(v);
            case "--keys" -> o.keys = positive(flag, v);
            case "--value-size" -> o.valueSize = Math.max(2, positive(flag, v));
            case "--concurrency" -> o.concurrency = positive(flag, v);
            case "--duration" -> o.durationSec = seconds(flag, v, false);
            case "--warmup" -> o.warmupSec = seconds(flag, v, true);
            case "--nodes" -> o.nodes = positive(flag, v);
            case "--shards" -> o.shards = positive(flag, v);
            case "--targets" -> o.targets = targets(v);
            case "--client" -> o.client = oneOf(flag, v, "nio", "blocking");
            case "--client-threads" -> o.clientThreads = positive(flag, v);
            case "--slice-ms" -> o.sliceMs = Math.max(50, positive(flag, v));
            case "--report" -> o.report = v;
            default -> throw new IllegalArgumentException("unknown option " + flag);
          }
        }
      }
    }
    if (o.shards != null && o.shards > 1 && o.nodes < 2 * o.shards && o.targets.isEmpty()) {
      throw new IllegalArgumentException("--shards " + o.shards + " needs at least " + 2 * o.shards + " nodes");
    }
    if (o.report != null && !o.report.endsWith(".md") && !o.report.endsWith(".json")) {
      throw new IllegalArgumentException("--report must name a .md or .json file");
    }
    return o;
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

  private static String oneOf(String flag, String v, String... allowed) {
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
