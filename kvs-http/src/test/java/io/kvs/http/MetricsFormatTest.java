package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.DurabilitySettings;
import io.kvs.core.FsyncPolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scrape is valid Prometheus text by a real parser, {@code promtool check metrics} (Debian
 * package {@code prometheus}), and every series follows the naming conventions
 * ({@link MetricConventions}, whose rules are proven here against planted bad names).
 */
class MetricsFormatTest {
  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  @TempDir
  static Path dir;
  private static KvsServer node;
  private static String scrape;

  @BeforeAll
  static void scrapeANodeThatServedRequests() {
    String address = "127.0.0.1:" + TestCluster.freePort();
    node = KvsServer.builder().address(address).view(List.of(address)).dataDir(dir)
        .durability(DurabilitySettings.defaults().withFsync(FsyncPolicy.ALWAYS)).start();
    assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
    Http.call("PUT", "http://" + address + "/kvs/a", "{\"value\": 1}");
    Http.call("GET", "http://" + address + "/kvs/a", null);
    Http.call("PUT", "http://" + address + "/kvs/a", "{\"nothing\": 1}");
    Http.call("GET", "http://" + address + "/metrics", null);
    scrape = Http.call("GET", "http://" + address + "/metrics", null).body();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** Starts {@code promtool check metrics} on {@code input}; fails, naming the package, without it. */
  private static Process promtool(Path input) throws IOException {
    assertThat(Files.isExecutable(PROMTOOL))
        .as("%s is missing: install the Debian package prometheus (apt-get install prometheus), "
            + "whose promtool checks the metrics format", PROMTOOL).isTrue();
    return new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
        .redirectInput(input.toFile()).redirectErrorStream(true).start();
  }

  @Test
  void promtoolAcceptsTheScrape() throws Exception {
    Path file = dir.resolve("scrape.txt");
    Files.writeString(file, scrape, StandardCharsets.UTF_8);
    Process promtool = promtool(file);
    try {
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).as("promtool finishes").isTrue();
      String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(promtool.exitValue()).as("promtool check metrics said:%n%s", said).isZero();
      assertThat(said).as("no lint findings").isBlank();
    } finally {
      promtool.destroy();
    }
  }

  @Test
  void promtoolRejectsABrokenScrape() throws IOException, InterruptedException {
    // the check above could pass by never reading the input: a bad exposition must fail it
    Path file = dir.resolve("broken.txt");
    Files.writeString(file, "# TYPE kvs_x counter\nkvs_x{route=\"unclosed} 1\n", StandardCharsets.UTF_8);
    Process promtool = promtool(file);
    try {
      assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(promtool.exitValue()).isNotZero();
    } finally {
      promtool.destroy();
    }
  }

  @Test
  void everySeriesFollowsTheNamingConventions() {
    Scrape s = new Scrape(scrape);
    assertThat(s.samples).hasSizeGreaterThan(50);
    assertThat(MetricConventions.problems(s)).isEmpty();
  }

  @Test
  void theConventionsCatchPlantedBadNames() {
    String planted = String.join("\n",
        "# TYPE kvs_writes counter", "kvs_writes 1",
        "kvs_replication_latency_ms 3",
        "http_requests_total 1",
        "kvs_http_requests_seconds_count{method=\"GET\",route=\"/kvs/user-42\",status=\"200\"} 1",
        "kvs_reads_total{key=\"user-42\"} 1",
        "# TYPE kvs_request_size histogram", "kvs_request_size_count 1", "");

    assertThat(MetricConventions.problems(new Scrape(planted))).containsExactlyInAnyOrder(
        "counter kvs_writes does not end in _total",
        "kvs_replication_latency_ms is not in base units (seconds, bytes)",
        "http_requests_total has neither the kvs_ prefix nor Micrometer's jvm_",
        "kvs_http_requests_seconds_count has route /kvs/user-42, not a route template",
        "kvs_reads_total carries label key, which may have many values",
        "histogram kvs_request_size names no base unit (_seconds or _bytes)");
  }

  @Test
  void pathsBecomeTheirRouteTemplates() {
    assertThat(Routes.template("/kvs/user-42")).isEqualTo("/kvs/{key}");
    assertThat(Routes.template("/kvs/a/b")).isEqualTo("/kvs/{key}");
    assertThat(Routes.template("/shard/members/3")).isEqualTo("/shard/members/{id}");
    assertThat(Routes.template("/shard/members/3/x")).isEqualTo("other");
    assertThat(Routes.template("/view")).isEqualTo("/view");
    assertThat(Routes.template("/internal/message")).isEqualTo("/internal/message");
    assertThat(Routes.template("/anything/else")).isEqualTo("other");
    assertThat(Routes.template(null)).isEqualTo("other");
  }
}
