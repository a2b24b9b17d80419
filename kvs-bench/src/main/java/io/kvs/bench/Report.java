package io.kvs.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

/** The bench's report: a Markdown table for people, or JSON for tools. */
final class Report {
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private Report() {}

  /**
   * The command a user types to repeat a run: {@code java [jvmFlags] -jar kvs-bench.jar args},
   * so that a report (or an out-of-heap hint) can be pasted back into a shell as is.
   */
  static String commandLine(String jvmFlags, String args) {
    String flags = jvmFlags.isEmpty() ? "" : jvmFlags + " ";
    return ("java " + flags + "-jar kvs-bench.jar " + args).strip();
  }

  /** Writes the report to {@code file}: JSON when it ends in .json, else Markdown. */
  static void write(String file, String command, List<ResultRow> rows, MemoryBench.Result memory) {
    String text = file.endsWith(".json") ? json(command, rows, memory) : markdown(command, rows, memory);
    try {
      Path path = Path.of(file);
      if (path.getParent() != null) {
        Files.createDirectories(path.getParent());
      }
      Files.writeString(path, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report " + file, e);
    }
  }

  private static String environment() {
    Runtime rt = Runtime.getRuntime();
    return String.format(Locale.ROOT, "%s, Java %s, %d cores, max heap %d MiB",
        OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS), System.getProperty("java.version"),
        rt.availableProcessors(), rt.maxMemory() >> 20);
  }

  /** The report as Markdown: the command, the environment, the table, and the memory figures if any. */
  static String markdown(String command, List<ResultRow> rows, MemoryBench.Result memory) {
    StringBuilder b = new StringBuilder("# kvs bench\n\n");
    b.append('`').append(commandLine("", command)).append("`  \n").append(environment()).append("\n\n");
    if (!rows.isEmpty()) {
      b.append(markdownTable(rows)).append('\n');
      b.append("Latencies in milliseconds (HdrHistogram, every answered request of the measured period). ")
          .append("ops/s counts 2xx answers; the ratio is kvs 2xx ops/s over the baseline's. ")
          .append("Baseline and kvs alternate in slices, so both see the same background load. ")
          .append("cpu µs/op is the whole JVM's CPU time (client included) per answered request.\n");
    }
    if (memory != null) {
      b.append("\n").append(memory.markdown());
    }
    return b.toString();
  }

  /** The results table in Markdown, one row per workload, as the console also prints it. */
  static String markdownTable(List<ResultRow> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| figure | kvs ops/s | p50 | p90 | p99 | p99.9 | non-2xx | cpu µs/op | baseline ops/s | baseline p50 |")
        .append(" baseline p99 | baseline cpu µs/op | ratio | target | met |\n");
    b.append("|---|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (ResultRow r : rows) {
      BenchResult k = r.kvs();
      BenchResult base = r.baseline();
      b.append("| ").append(r.figure())
          .append(" | ").append(fmt("%.0f", k.okPerSec()))
          .append(" | ").append(fmt("%.2f", k.p50Ms()))
          .append(" | ").append(fmt("%.2f", k.p90Ms()))
          .append(" | ").append(fmt("%.2f", k.p99Ms()))
          .append(" | ").append(fmt("%.2f", k.p999Ms()))
          .append(" | ").append(k.nonOk().isEmpty() ? "none" : k.nonOk().toString())
          .append(" | ").append(fmt("%.0f", k.cpuUsPerOp()))
          .append(" | ").append(base == null ? "-" : fmt("%.0f", base.okPerSec()))
          .append(" | ").append(base == null ? "-" : fmt("%.2f", base.p50Ms()))
          .append(" | ").append(base == null ? "-" : fmt("%.2f", base.p99Ms()))
          .append(" | ").append(base == null ? "-" : fmt("%.0f", base.cpuUsPerOp()))
          .append(" | ").append(r.ratio() == null ? "-" : fmt("%.2f", r.ratio()))
          .append(" | ").append(target(r))
          .append(" | ").append(r.met() == null ? "-" : r.met() ? "yes" : "**no**")
          .append(" |\n");
    }
    return b.toString();
  }

  private static String target(ResultRow r) {
    if (r.targetRatio() == null) {
      return "-";
    }
    String p99 = r.maxP99Ms() == null ? "" : ", p99 ≤ " + fmt("%.0f", r.maxP99Ms()) + " ms";
    return "≥ " + fmt("%.2f", r.targetRatio()) + "×" + p99;
  }

  /** The report as JSON: the command, the environment, a row per workload, and the memory figures if any. */
  static String json(String command, List<ResultRow> rows, MemoryBench.Result memory) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("command", commandLine("", command));
    root.put("environment", environment());
    var array = root.putArray("rows");
    for (ResultRow r : rows) {
      array.add(row(r));
    }
    if (memory != null) {
      root.set("memory", memory(memory));
    }
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ObjectNode row(ResultRow r) {
    ObjectNode row = MAPPER.createObjectNode();
    row.put("figure", r.figure());
    row.set("kvs", result(r.kvs()));
    if (r.baseline() != null) {
      row.set("baseline", result(r.baseline()));
    } else {
      row.putNull("baseline");
    }
    putNullable(row, "ratio", r.ratio());
    putNullable(row, "target-ratio", r.targetRatio());
    putNullable(row, "max-p99-ms", r.maxP99Ms());
    if (r.met() == null) {
      row.putNull("met");
    } else {
      row.put("met", r.met());
    }
    return row;
  }

  private static ObjectNode memory(MemoryBench.Result memory) {
    ObjectNode m = MAPPER.createObjectNode();
    m.put("keys", memory.keys());
    m.put("value-bytes", memory.valueBytes());
    m.put("key-bytes", memory.keyBytes());
    m.put("empty-heap-bytes", memory.emptyHeapBytes());
    m.put("loaded-heap-bytes", memory.loadedHeapBytes());
    m.put("heap-per-key-per-replica", memory.heapPerKeyPerReplica());
    m.put("overhead-per-key-per-replica", memory.overheadPerKeyPerReplica());
    m.put("target-bytes", memory.targetBytes());
    m.put("met", memory.met());
    m.put("load-seconds", memory.loadSeconds());
    return m;
  }

  private static ObjectNode result(BenchResult r) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("label", r.label());
    o.put("mix", r.mix());
    o.put("concurrency", r.concurrency());
    o.put("targets", r.targets());
    o.put("seconds", r.seconds());
    o.put("operations", r.operations());
    o.put("ok", r.ok());
    o.put("ops-per-sec", r.opsPerSec());
    o.put("ok-per-sec", r.okPerSec());
    o.put("p50-ms", r.p50Ms());
    o.put("p90-ms", r.p90Ms());
    o.put("p99-ms", r.p99Ms());
    o.put("p99.9-ms", r.p999Ms());
    o.put("max-ms", r.maxMs());
    o.put("cpu-us-per-op", r.cpuUsPerOp());
    o.put("cpu-share", r.cpuShare());
    ObjectNode nonOk = o.putObject("non-2xx");
    r.nonOk().forEach(nonOk::put);
    return o;
  }

  private static void putNullable(ObjectNode o, String name, Double v) {
    if (v == null) {
      o.putNull(name);
    } else {
      o.put(name, v);
    }
  }

  private static String fmt(String format, double v) {
    return String.format(Locale.ROOT, format, v);
  }
}
