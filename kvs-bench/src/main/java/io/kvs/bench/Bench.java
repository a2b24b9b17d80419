package io.kvs.bench;

import io.kvs.core.FsyncPolicy;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar kvs-bench.jar [flags]}: a closed-loop HTTP benchmark of kvs, each
 * figure next to a bare Javalin baseline measured in the same run with the same client.
 * See {@link BenchOptions#USAGE} for the flags.
 */
public final class Bench {
  /** A system property that, when set (to anything but false), adds the stack trace to a failure. */
  static final String DEBUG_PROPERTY = "kvs.bench.debug";

  private final BenchOptions options;
  /** The command line as the user gave it, for the report. */
  private final String command;
  private final PrintStream out;
  /** What the run is doing, to say what failed if it fails. */
  private String step = "the run";

  private Bench(BenchOptions options, String command, PrintStream out) {
    this.options = options;
    this.command = command;
    this.out = out;
  }

  /**
   * Entry point of {@code java -jar kvs-bench.jar}; exits with the status of {@link #run}.
   *
   * @param args the command-line flags
   */
  public static void main(String[] args) {
    System.exit(run(args, System.out));
  }

  /**
   * Runs the bench described by {@code args}, printing to {@code out}.
   *
   * @param args the command-line flags, see {@link BenchOptions#USAGE}
   * @param out where progress, results and errors go
   * @return 0 on success, 2 on bad flags, 1 when a run failed
   */
  public static int run(String[] args, PrintStream out) {
    quietLogs();
    if (args.length > 0 && args[0].equals("--deployed")) {
      return DeployedBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
    }
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
    return new Bench(options, String.join(" ", args), out).execute();
  }

  private int execute() {
    try {
      if (options.memory) {
        step = "measuring the heap per key";
        MemoryBench.Result result = MemoryBench.run(options, out);
        writeReport(List.of(), result);
      } else {
        measureWorkloads();
      }
      return 0;
    } catch (OutOfMemoryError e) {
      out.println("bench: out of heap (" + e.getMessage() + "); run it with more, e.g. "
          + Report.commandLine("-Xmx4g", command));
      return 1;
    } catch (RuntimeException e) {
      printFailure(out, step, e, debugging());
      return 1;
    }
  }

  /**
   * Prints one sentence saying what failed and why. The stack trace only with {@code debug}:
   * it helps whoever changes the bench, and buries the reason for whoever runs it.
   */
  static void printFailure(PrintStream out, String step, RuntimeException e, boolean debug) {
    out.println("bench: " + step + " failed: " + reason(e)
        + (debug ? "" : " (-D" + DEBUG_PROPERTY + "=true adds the stack trace)"));
    if (debug) {
      e.printStackTrace(out);
    }
  }

  /** The exception's message (its kind when it has none), and its cause when that adds something. */
  static String reason(Throwable e) {
    String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    Throwable cause = e.getCause();
    if (cause != null && cause != e && !message.contains(cause.toString())) {
      message += " (" + cause.getClass().getSimpleName()
          + (cause.getMessage() == null ? "" : ": " + cause.getMessage()) + ")";
    }
    return message;
  }

  private static boolean debugging() {
    String value = System.getProperty(DEBUG_PROPERTY);
    return value != null && !value.equalsIgnoreCase("false");
  }

  private void measureWorkloads() {
    List<ResultRow> rows = new ArrayList<>();
    for (Workload workload : Workload.of(options)) {
      rows.add(measure(workload));
    }
    out.println();
    out.print(Report.markdownTable(rows));
    writeReport(rows, null);
  }

  private void writeReport(List<ResultRow> rows, MemoryBench.Result memory) {
    if (options.report != null) {
      step = "writing the report " + options.report;
      Report.write(options.report, command, rows, memory);
      out.println("report written to " + options.report);
    }
  }

  /** Starts the baseline and the cluster {@code w} needs, measures them, and stops them. */
  private ResultRow measure(Workload w) {
    out.println();
    out.println("== " + w.figure());
    List<AutoCloseable> started = new ArrayList<>();
    try {
      List<LoadClient.Side> sides = new ArrayList<>();
      if (options.baseline) {
        sides.add(startBaseline(w, started));
      }
      List<String> targets = options.targets;
      if (targets.isEmpty()) {
        targets = startCluster(w, options.dataDir == null ? null : Path.of(options.dataDir), started).addresses;
      }
      sides.add(new LoadClient.Side("kvs", targets, "/kvs/"));
      return measure(w, sides);
    } finally {
      for (int i = started.size() - 1; i >= 0; i--) {
        closeQuietly(started.get(i));
      }
    }
  }

  private LoadClient.Side startBaseline(Workload w, List<AutoCloseable> started) {
    if ("memory".equals(options.baselineKind)) {
      BenchCluster inMemory = startCluster(w, null, started);
      return new LoadClient.Side("baseline", inMemory.addresses, "/kvs/");
    }
    step = "starting the baseline server";
    BaselineServer baseline = new BaselineServer(0);
    started.add(baseline);
    return new LoadClient.Side("baseline", List.of(baseline.address()), BaselineServer.PREFIX);
  }

  private BenchCluster startCluster(Workload w, Path dataDir, List<AutoCloseable> started) {
    step = "starting " + w.nodes() + " node(s)";
    out.println("starting " + w.nodes() + " node(s)" + (w.shards() == null ? "" : ", " + w.shards() + " shards")
        + (dataDir == null ? ", in memory" : ", data under " + dataDir + ", fsync " + options.fsync));
    BenchCluster cluster = new BenchCluster(w.nodes(), w.shards() == null || w.shards() <= 1 ? null : w.shards(),
        dataDir, FsyncPolicy.valueOf(options.fsync.toUpperCase(Locale.ROOT)));
    started.add(cluster);
    return cluster;
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception e) {
      // stopping what the bench started: nothing else to do
    }
  }

  /** Preloads the keys if {@code w} reads them, runs the load on {@code sides}, and prints its figures. */
  private ResultRow measure(Workload w, List<LoadClient.Side> sides) {
    if (w.getRatio() > 0) {
      String[] keys = LoadClient.keys(options.keys());
      byte[] value = LoadClient.value(options.valueSize());
      for (LoadClient.Side side : sides) {
        step = "preloading the keys of " + side.label();
        Preloader.preload(side.targets(), side.pathPrefix(), keys, value);
      }
    }
    if (sides.size() > 1) {
      out.println("baseline and kvs run in alternating slices of " + options.sliceMs + " ms");
    }
    LoadClient.Spec spec = new LoadClient.Spec(w.getRatio(), options.keys(), options.valueSize(), w.concurrency(),
        options.warmupSec(), options.durationSec, options.client, options.clientThreads, options.sliceMs);
    step = "running \"" + w.figure() + "\"";
    List<BenchResult> results = LoadClient.run(spec, sides, out);
    BenchResult kvs = results.get(results.size() - 1);
    BenchResult base = results.size() > 1 ? results.get(0) : null;
    if (base != null) {
      out.println(base.summary());
    }
    out.println(kvs.summary());
    ResultRow row = new ResultRow(w.figure(), kvs, base, w.targetRatio(), w.maxP99Ms());
    if (row.ratio() != null) {
      out.printf(Locale.ROOT, "ratio kvs/baseline: %.2f%s%n", row.ratio(),
          row.targetRatio() == null ? "" : " (target " + row.targetRatio() + ")");
    }
    return row;
  }

  /**
   * Sleeps {@code durationMs} milliseconds.
   *
   * @throws IllegalStateException when interrupted (the interrupt flag set again), so that a
   *     run being stopped does not go on
   */
  static void sleep(long durationMs) {
    try {
      Thread.sleep(durationMs);
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
