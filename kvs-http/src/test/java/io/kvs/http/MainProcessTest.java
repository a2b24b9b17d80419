package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code Main} as its own JVM: {@code --help}, and a lone node stopped by SIGTERM. */
class MainProcessTest {
  private static final Pattern VARIABLE = Pattern.compile("\"(KVS_[A-Z_]+|SOCKET_ADDRESS|VIEW|SHARD_COUNT)\"");

  @TempDir
  Path dir;

  @Test
  void helpListsEveryFlagAndEveryVariableTheSourcesRead() throws Exception {
    TreeSet<String> variables = variablesInSources();
    assertThat(variables).contains("SOCKET_ADDRESS", "KVS_DATA_DIR", "KVS_FSYNC", "KVS_TOMBSTONE_GRACE_MS");
    for (String flag : List.of("--help", "-h")) {
      Process p = java(Map.of(), flag);
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String out = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("--local", "--shards", "--base-port", "--data-dir", "kvs-bench.jar --help", "127.0.0.1:8090");
      for (String name : variables) {
        assertThat(out).as("help names " + name).containsPattern("(?m)^  " + name + " ");
      }
    }
  }

  @Test
  void aLoneNodeWithOneShardServesThenSigtermExitsZero() throws Exception {
    String address = "127.0.0.1:" + TestCluster.freePort();
    Process p = java(Map.of("SOCKET_ADDRESS", address, "VIEW", address, "SHARD_COUNT", "1",
        "KVS_LISTEN_HOST", "127.0.0.1"));
    try {
      Http.await(Duration.ofSeconds(60), "the node is ready", () -> {
        assertThat(p.isAlive()).as("the node runs").isTrue();
        return readyOrDown(address);
      });
      assertThat(Http.call("PUT", "http://" + address + "/kvs/k", "{\"value\": [1]}").status()).isEqualTo(201);
      assertThat(Http.call("GET", "http://" + address + "/kvs/k", null).json().get("value").toString())
          .isEqualTo("[1]");

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      String log = Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(log).isZero();
      assertThat(log).contains(address + " is the only node of its one shard: it has no replica");
      assertThat(log).contains("kvs node " + address + " stopped");
      for (String line : log.split("\n")) {
        if (!line.startsWith("kvs node ")) { // the one line on stdout, for a person at a terminal
          assertThat(line).as("a log line starts with the node's address").startsWith(address + " ");
        }
      }
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void withKvsLogFormatJsonEveryLineIsOneJsonObjectNamingTheNode() throws Exception {
    String address = "127.0.0.1:" + TestCluster.freePort();
    Process p = java(Map.of("SOCKET_ADDRESS", address, "VIEW", address, "SHARD_COUNT", "1",
        "KVS_LISTEN_HOST", "127.0.0.1", "KVS_LOG_FORMAT", "json"));
    try {
      Http.await(Duration.ofSeconds(60), "the node is ready", () -> {
        assertThat(p.isAlive()).as("the node runs").isTrue();
        return readyOrDown(address);
      });
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      List<String> lines = Files.readAllLines(dir.resolve("out.log"), StandardCharsets.UTF_8);
      assertThat(lines).hasSizeGreaterThan(3);
      for (String line : lines) {
        var json = Json.MAPPER.readTree(line);
        assertThat(json.isObject()).as(line).isTrue();
        assertThat(json.get("node").asText()).isEqualTo(address);
        assertThat(json.get("message").asText()).as(line).isNotBlank().doesNotContain("{}");
        assertThat(json.fieldNames()).toIterable().contains("time", "level", "logger");
      }
      assertThat(String.join("\n", lines)).contains("kvs node " + address + " stopped");
    } finally {
      p.destroyForcibly();
    }
  }

  @Test
  void anUnknownLogFormatStopsTheNodeWithOneSentence() throws Exception {
    Process p = java(Map.of("KVS_LOG_FORMAT", "xml"));
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(Files.readString(dir.resolve("out.log"), StandardCharsets.UTF_8).trim())
        .isEqualTo("kvs: KVS_LOG_FORMAT must be text or json, got 'xml'");
  }

  private static boolean readyOrDown(String address) {
    try {
      return Http.call("GET", "http://" + address + "/ready", null).status() == 200;
    } catch (java.io.UncheckedIOException notListeningYet) {
      return false;
    }
  }

  /** Runs {@code Main} with only {@code env} among the node's variables; output to {@code out.log}. */
  private Process java(Map<String, String> env, String... args) throws IOException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx128m", "-XX:TieredStopAtLevel=1", "-cp", classpath, Main.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve("out.log").toFile());
    builder.environment().keySet().removeIf(k -> VARIABLE.matcher("\"" + k + "\"").matches());
    builder.environment().putAll(env);
    return builder.start();
  }

  /** Every variable name quoted in the main sources of kvs-http and kvs-core: what a node may read. */
  private static TreeSet<String> variablesInSources() throws IOException {
    TreeSet<String> found = new TreeSet<>();
    for (Path root : List.of(Path.of("src/main/java"), Path.of("../kvs-core/src/main/java"))) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(x -> x.toString().endsWith(".java")).toList()) {
          Matcher m = VARIABLE.matcher(Files.readString(f, StandardCharsets.UTF_8));
          while (m.find()) {
            found.add(m.group(1));
          }
        }
      }
    }
    return found;
  }
}
