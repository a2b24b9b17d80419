package io.kvs.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code java -jar kvs-bench.jar --deployed}: kvs as users run it, each node its own JVM process, driven by wrk in
 * one-second slices. Where two systems are compared, their slices alternate, so that both see
 * the same machine; the seed's figures are the ones recorded in issue 12 (the seed itself is not
 * part of this repository).
 */
final class DeployedBench {
  /** The seed's figures (Python/Flask, 6 nodes, wrk, 8 connections): first 10 s, then warm. */
  static final double SEED_COLD_PUT = 57;
  static final double SEED_COLD_GET = 137;
  static final double SEED_WARM_PUT = 60;
  static final double SEED_WARM_GET = 157;
  private static final int KEYS = 1000;
  private static final int VALUE_BYTES = 64;

  /** One line of the table. */
  record Figure(String name, String kvs, String reference, Double ratio, String target, Boolean met) {}

  private final DeployedOptions options;
  private final PrintStream out;
  private final DeployedSystems systems;
  private final Wrk wrk;
  private final List<Figure> figures = new ArrayList<>();

  private DeployedBench(DeployedOptions options, PrintStream out) {
    this.options = options;
    this.out = out;
    this.systems = new DeployedSystems(options);
    this.wrk = new Wrk(options.logs.resolve("wrk"));
  }

  static int run(String[] args, PrintStream out) {
    DeployedOptions options;
    try {
      options = DeployedOptions.parse(args);
    } catch (IllegalArgumentException e) {
      out.println(e.getMessage().startsWith("usage:") ? e.getMessage() : "bench: " + e.getMessage());
      return 2;
    }
    if (!Files.isRegularFile(options.nodeJar)) {
      out.println("bench: --deployed starts each node from kvs-node.jar, which is not at " + options.nodeJar
          + " (build it with mvn package, or give --node-jar PATH)");
      return 1;
    }
    if (!Wrk.available()) {
      out.println("bench: --deployed drives the nodes with wrk, which is not on the PATH (apt-get install -y wrk)");
      return 1;
    }
    try {
      new DeployedBench(options, out).execute(String.join(" ", args));
      return 0;
    } catch (RuntimeException e) {
      Bench.printFailure(out, "the deployed run", e, false);
      return 1;
    }
  }

  private void execute(String args) {
    out.printf("nodes run %s %s; %d s phases, %d s PUT warm-up%n", options.java, String.join(" ", options.jvmFlags),
        options.durationSec, options.warmupSec);
    for (String row : options.rows) {
      switch (row) {
        case "seed" -> new SeedRow(this).run();
        case "etcd" -> ComparedRow.etcd(this).run();
        default -> ComparedRow.single(this).run();
      }
    }
    String table = table();
    out.println();
    out.print(table);
    if (options.report != null) {
      write(Path.of(options.report), "# kvs bench --deployed\n\n`" + Report.commandLine("", "--deployed " + args) + "`\n\nnode JVM: "
          + options.java + " " + String.join(" ", options.jvmFlags) + "\n\n" + table);
      out.println("report written to " + options.report);
    }
  }

  DeployedOptions options() {
    return options;
  }

  DeployedSystems systems() {
    return systems;
  }

  /** {@code seconds} one-second slices of load, printed as they go. */
  List<Wrk.Slice> slices(String label, Wrk.Api api, List<String> targets, double getShare, int connections,
                         int seconds) {
    List<Wrk.Slice> slices = new ArrayList<>();
    for (int s = 0; s < seconds; s++) {
      slices.add(slice(label, api, targets, getShare, connections));
    }
    return slices;
  }

  Wrk.Slice slice(String label, Wrk.Api api, List<String> targets, double getShare, int connections) {
    Wrk.Slice slice = wrk.slice(api, targets, getShare, KEYS, VALUE_BYTES, connections, 1);
    out.printf(Locale.ROOT, "[%s] %8.0f ok/s  p50 %6.2f  p99 %7.2f ms%s%n", label, slice.okPerSec(), slice.p50Ms(),
        slice.p99Ms(), slice.non2xx() + slice.socketErrors() == 0 ? ""
            : "  non-2xx " + slice.non2xx() + ", socket errors " + slice.socketErrors());
    return slice;
  }

  static double okPerSec(List<Wrk.Slice> slices) {
    long ok = 0;
    double seconds = 0;
    for (Wrk.Slice s : slices) {
      ok += s.requests() - s.non2xx();
      seconds += s.seconds();
    }
    return ok / Math.max(seconds, 1e-9);
  }

  void figure(String name, double kvs, String referenceName, double reference, double target) {
    double ratio = reference <= 0 ? 0 : kvs / reference;
    figures.add(new Figure(name, String.format(Locale.ROOT, "%.0f/s", kvs),
        String.format(Locale.ROOT, "%s %.0f/s", referenceName, reference), ratio,
        String.format(Locale.ROOT, "≥ %.1f×", target), ratio >= target));
  }

  void figure(Figure f) {
    figures.add(f);
  }

  private String table() {
    StringBuilder b = new StringBuilder("| figure | kvs | reference | ratio | target | met |\n|---|---:|---:|---:|---|---|\n");
    for (Figure f : figures) {
      b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", f.name(), f.kvs(), f.reference(),
          f.ratio() == null ? "-" : String.format(Locale.ROOT, "%.2f×", f.ratio()), f.target(),
          f.met() == null ? "-" : f.met() ? "yes" : "no"));
    }
    return b.toString();
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
