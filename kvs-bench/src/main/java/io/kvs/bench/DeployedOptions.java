package io.kvs.bench;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The flags of {@code bench --deployed}, with their defaults. */
final class DeployedOptions {
  /** The node JVM flags the Dockerfile sets too (see docs/performance.md for why each). */
  static final List<String> NODE_FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  static final String USAGE = String.join("\n",
      "usage: java -jar kvs-bench.jar --deployed [flags]",
      "  Each node runs as its own JVM process on 127.0.0.1, driven by wrk (apt-get install -y wrk).",
      "  --rows seed,etcd,single  which rows to run (default all three):",
      "                           seed: 6 processes / 2 shards, 8 connections, PUT then GET, cold and warm",
      "                           etcd: 3 processes / 1 shard against a 3-member etcd, 30 connections",
      "                           single: 1 node against a bare Javalin node, 30 connections",
      "  --node-jar PATH          the node jar each kvs process runs (default: kvs-node.jar beside this jar,",
      "                           else kvs-http/target/kvs-node.jar of the build this jar comes from)",
      "  --java PATH              the java that runs the nodes (default: the one running the bench)",
      "  --jvm-flags \"F ...\"      flags for each node's JVM (default: " + String.join(" ", NODE_FLAGS) + ")",
      "  --data-dir DIR           give each kvs node a data directory under DIR (emptied first)",
      "  --fsync always|interval|never  with --data-dir (default always)",
      "  --etcd PATH              the etcd binary (default: etcd on the PATH)",
      "  --etcd-data-dir DIR      etcd's data (default /dev/shm/kvs-bench-etcd: tmpfs, as etcd is usually benchmarked)",
      "  --warmup S               seconds of PUT load before the warm figures (default 30)",
      "  --duration S             seconds of each measured phase (default 10)",
      "  --report FILE            also write the table to FILE (Markdown)",
      "  --logs DIR               where node logs go (default target/bench-logs)");

  List<String> rows = List.of("seed", "etcd", "single");
  Path nodeJar = defaultNodeJar();
  String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  List<String> jvmFlags = NODE_FLAGS;
  Path dataDir;
  String fsync = "always";
  String etcd = "etcd";
  Path etcdDataDir = Path.of("/dev/shm/kvs-bench-etcd");
  int warmupSec = 30;
  int durationSec = 10;
  String report;
  Path logs = Path.of("target", "bench-logs");

  /**
   * Parses the flags after {@code --deployed}.
   *
   * @throws IllegalArgumentException with one sentence on a bad flag, or {@link #USAGE} for --help
   */
  static DeployedOptions parse(String[] args) {
    DeployedOptions o = new DeployedOptions();
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (flag.equals("--help") || flag.equals("-h")) {
        throw new IllegalArgumentException(USAGE);
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value" : "unknown argument " + flag);
      }
      o.set(flag, args[++i]);
    }
    return o;
  }

  private void set(String flag, String v) {
    switch (flag) {
      case "--rows" -> rows = rows(v);
      case "--node-jar" -> nodeJar = Path.of(v);
      case "--java" -> java = v;
      case "--jvm-flags" -> jvmFlags = v.isBlank() ? List.of() : Arrays.asList(v.trim().split("\\s+"));
      case "--data-dir" -> dataDir = Path.of(v);
      case "--fsync" -> fsync = BenchOptions.oneOf(flag, v, "always", "interval", "never");
      case "--etcd" -> etcd = v;
      case "--etcd-data-dir" -> etcdDataDir = Path.of(v);
      case "--warmup" -> warmupSec = seconds(flag, v, true);
      case "--duration" -> durationSec = seconds(flag, v, false);
      case "--report" -> report = v;
      case "--logs" -> logs = Path.of(v);
      default -> throw new IllegalArgumentException("unknown option " + flag);
    }
  }

  /**
   * Where kvs-node.jar most likely is: beside kvs-bench.jar (both copied to one place), or in the
   * build tree that kvs-bench/target/kvs-bench.jar (or, in tests, kvs-bench/target/classes) is in.
   */
  static Path defaultNodeJar() {
    Path target = Path.of("kvs-bench", "target");
    try {
      Path self = Path.of(DeployedOptions.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      target = self.toAbsolutePath().getParent();
      Path beside = target.resolve("kvs-node.jar");
      if (Files.isRegularFile(beside)) {
        return beside;
      }
    } catch (URISyntaxException | SecurityException | NullPointerException e) {
      // no usable code source: fall back to the build tree relative to the working directory
    }
    return target.resolve(Path.of("..", "..", "kvs-http", "target", "kvs-node.jar")).normalize();
  }

  private static List<String> rows(String v) {
    List<String> list = new ArrayList<>();
    for (String r : v.split(",")) {
      list.add(BenchOptions.oneOf("--rows", r.trim(), "seed", "etcd", "single"));
    }
    return list;
  }

  private static int seconds(String flag, String v, boolean zeroAllowed) {
    try {
      int s = Integer.parseInt(v);
      if (s > 0 || zeroAllowed && s == 0) {
        return s;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a whole number of seconds, got '" + v + "'");
  }
}
