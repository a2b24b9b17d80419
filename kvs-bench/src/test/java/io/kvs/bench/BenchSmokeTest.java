package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the bench command works end to end on a tiny cluster: a run of about two seconds
 * produces a report with operations and every expected field. No timing is asserted.
 */
class BenchSmokeTest {
  @TempDir
  Path dir;

  private static String run(int expectedStatus, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int status;
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      status = Bench.run(args, out);
    }
    String output = bytes.toString(StandardCharsets.UTF_8);
    assertThat(status).as(output).isEqualTo(expectedStatus);
    return output;
  }

  @Test
  void mixedWorkloadOnTwoNodesWritesAJsonReport() throws Exception {
    Path report = dir.resolve("bench.json");
    String output = run(0, "--nodes", "2", "--mix", "mixed", "--keys", "50", "--concurrency", "4",
        "--warmup", "0.5", "--duration", "2", "--slice-ms", "250", "--report", report.toString());

    assertThat(output).contains("[baseline] run", "[kvs] run", "ratio kvs/baseline");
    JsonNode json = new ObjectMapper().readTree(Files.readString(report));
    assertThat(json.get("command").textValue()).contains("java -jar kvs-bench.jar --nodes 2");
    JsonNode row = json.get("rows").get(0);
    assertThat(row.get("figure").textValue()).contains("50% get", "2 nodes", "C=4");
    for (String side : new String[] {"kvs", "baseline"}) {
      JsonNode r = row.get(side);
      assertThat(r.get("operations").longValue()).as(side).isPositive();
      assertThat(r.get("ok").longValue()).as(side).isPositive();
      assertThat(r.get("ok-per-sec").doubleValue()).as(side).isPositive();
      for (String field : new String[] {"ops-per-sec", "p50-ms", "p90-ms", "p99-ms", "p99.9-ms", "max-ms", "non-2xx",
          "seconds", "concurrency"}) {
        assertThat(r.has(field)).as(side + " " + field).isTrue();
      }
    }
    assertThat(row.get("ratio").isNumber()).isTrue();
  }

  @Test
  void markdownReportOfAGetRunWithoutBaseline() throws Exception {
    Path report = dir.resolve("bench.md");
    run(0, "--keys", "20", "--concurrency", "2", "--warmup", "0", "--duration", "1", "--no-baseline",
        "--client", "blocking", "--report", report.toString());

    String md = Files.readString(report);
    assertThat(md).contains("# kvs bench", "| figure | kvs ops/s | p50 |", "| get, 1 node, C=2 |");
  }

  @Test
  void aDurableClusterIsMeasuredAgainstTheSameClusterInMemory() throws Exception {
    Path data = dir.resolve("data");
    String output = run(0, "--nodes", "2", "--mix", "put", "--keys", "20", "--concurrency", "2", "--warmup", "0",
        "--duration", "1", "--baseline", "memory", "--data-dir", data.toString(), "--fsync", "always");

    assertThat(output).contains("in memory", "data under " + data + ", fsync always", "ratio kvs/baseline");
    assertThat(data.resolve("node-0")).isDirectoryContaining(p -> p.getFileName().toString().startsWith("wal-"));
  }

  @Test
  void memoryModeReportsHeapPerKey() throws Exception {
    Path report = dir.resolve("memory.json");
    String output = run(0, "--memory", "--keys", "2000", "--report", report.toString());

    assertThat(output).contains("heap per key per replica");
    JsonNode memory = new ObjectMapper().readTree(Files.readString(report)).get("memory");
    assertThat(memory.get("keys").intValue()).isEqualTo(2000);
    assertThat(memory.get("value-bytes").intValue()).isEqualTo(100);
    for (String field : new String[] {"heap-per-key-per-replica", "overhead-per-key-per-replica", "met"}) {
      assertThat(memory.has(field)).as(field).isTrue();
    }
  }

  @Test
  void badFlagsExitWithStatusTwoAndUsage() {
    String output = run(2, "--mix", "sideways");
    assertThat(output).contains("--mix must be", "usage: java -jar kvs-bench.jar");
  }
}
