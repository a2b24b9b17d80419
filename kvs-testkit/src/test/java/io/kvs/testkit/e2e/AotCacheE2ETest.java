package io.kvs.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kvs.testkit.process.NodeProcess;
import io.kvs.testkit.process.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's ahead-of-time cache, as the Dockerfile builds it: {@code --train} on JDK 25 writes a
 * cache, and a node started with it ({@code -XX:AOTMode=on}, which refuses to start on a cache it
 * cannot use) serves requests and stops cleanly. Skipped without a JDK 25
 * ({@code /usr/lib/jvm/temurin-25-jdk-amd64}, or {@code -Dkvs.test.jdk25=<java.home>}).
 */
class AotCacheE2ETest {
  private static final List<String> FLAGS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");

  @TempDir
  Path dir;

  @Test
  void aCacheFromTheTrainingRunStartsANodeThatServes() throws Exception {
    Path java = Path.of(System.getProperty("kvs.test.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64"), "bin", "java");
    assumeTrue(Files.isExecutable(java), "no JDK 25 at " + java);
    Path jar = NodeProcess.locateJar();
    Path cache = dir.resolve("kvs.aot");

    Process training = start(java, List.of("-XX:AOTCacheOutput=" + cache), jar, "train.log", "--train", "3");
    assertThat(training.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(training.exitValue()).as(log("train.log")).isZero();
    assertThat(log("train.log")).contains("kvs training:");
    assertThat(Files.size(cache)).isPositive();

    String address = "127.0.0.1:18391";
    ProcessBuilder node = builder(java, List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), jar, "node.log");
    node.environment().putAll(Map.of("SOCKET_ADDRESS", address, "VIEW", address, "SHARD_COUNT", "1"));
    Process p = node.start();
    try {
      Poll.until(Instant.now().plusSeconds(60), "the node answers", () -> p.isAlive() && status("GET", address, null) == 404);
      assertThat(status("PUT", address, "{\"value\": 1}")).isEqualTo(201);
      assertThat(status("GET", address, null)).isEqualTo(200);
      p.destroy(); // SIGTERM
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(log("node.log")).isZero();
    } finally {
      p.destroyForcibly();
    }
  }

  private Process start(Path java, List<String> extra, Path jar, String logName, String... args) throws Exception {
    ProcessBuilder b = builder(java, extra, jar, logName);
    b.command().addAll(List.of(args));
    return b.start();
  }

  private ProcessBuilder builder(Path java, List<String> extra, Path jar, String logName) {
    List<String> command = new ArrayList<>(List.of(java.toString()));
    command.addAll(FLAGS);
    command.addAll(extra);
    command.addAll(List.of("-jar", jar.toString()));
    ProcessBuilder b = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(logName).toFile());
    b.environment().keySet().removeIf(k -> k.equals("SOCKET_ADDRESS") || k.equals("VIEW") || k.startsWith("KVS_"));
    return b;
  }

  private String log(String name) throws Exception {
    return Files.readString(dir.resolve(name), StandardCharsets.UTF_8);
  }

  private static int status(String method, String address, String body) {
    try {
      HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://" + address + "/kvs/k"))
          .timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
      return HttpClient.newHttpClient().send(r.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (java.io.IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
