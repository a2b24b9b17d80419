package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.DurabilitySettings;
import io.kvs.core.FsyncPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} on a real three-node cluster on loopback: requests move the counters of
 * their route template and status by exactly one, the core's counts come through, and keys
 * never become label values.
 */
class MetricsHttpTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(3, 1, b -> b);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Scrape scrape(int node) {
    Http.Response r = Http.call("GET", cluster.url(node, "/metrics"), null);
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.contentType()).startsWith("text/plain; version=0.0.4");
    return new Scrape(r.body());
  }

  private static double requests(Scrape s, String method, String route, String status) {
    return s.value("kvs_http_requests_seconds_count", Map.of("method", method, "route", route, "status", status));
  }

  @Test
  void eachRequestMovesTheCountOfItsRouteTemplateAndStatusByOne() {
    Scrape before = scrape(0);
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/metrics-put"), "{\"value\": 1}").status()).isEqualTo(201);
    assertThat(Http.call("GET", cluster.url(0, "/kvs/metrics-put"), null).status()).isEqualTo(200);
    assertThat(Http.call("GET", cluster.url(0, "/kvs/metrics%20absent"), null).status()).as("through Javalin")
        .isEqualTo(404);
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/metrics-bad"), "{\"value\": ").status()).isEqualTo(400);
    assertThat(Http.call("GET", cluster.url(0, "/no/such/route"), null).status()).isEqualTo(404);
    Scrape after = scrape(0);

    String kv = "/kvs/{key}";
    assertThat(requests(after, "PUT", kv, "201") - requests(before, "PUT", kv, "201")).isEqualTo(1);
    assertThat(requests(after, "GET", kv, "200") - requests(before, "GET", kv, "200")).isEqualTo(1);
    assertThat(requests(after, "GET", kv, "404") - requests(before, "GET", kv, "404")).isEqualTo(1);
    assertThat(requests(after, "PUT", kv, "400") - requests(before, "PUT", kv, "400")).isEqualTo(1);
    assertThat(requests(after, "GET", "other", "404") - requests(before, "GET", "other", "404")).isEqualTo(1);
    assertThat(requests(after, "GET", "/metrics", "200")).as("the first scrape, counted once it was answered")
        .isGreaterThanOrEqualTo(1);
    assertThat(after.value("kvs_http_requests_seconds_bucket",
        Map.of("method", "PUT", "route", kv, "status", "201", "le", "+Inf")))
        .isEqualTo(requests(after, "PUT", kv, "201"));
    assertThat(after.samples).as("no key or raw path is a label value")
        .noneMatch(s -> s.labels().values().stream().anyMatch(v -> v.contains("metrics-") || v.contains("/no/")));
  }

  @Test
  void theCoresCountsComeThrough() {
    Scrape before = scrape(0);
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/metrics-core"), "{\"value\": 1}").status()).isEqualTo(201);
    Http.await(Duration.ofSeconds(10), "both peers acknowledge the copies",
        () -> scrape(0).value("kvs_replication_acks_total") - before.value("kvs_replication_acks_total") >= 2);
    Scrape after = scrape(0);

    assertThat(after.value("kvs_key_requests_total") - before.value("kvs_key_requests_total")).isEqualTo(1);
    assertThat(after.value("kvs_replication_copies_total") - before.value("kvs_replication_copies_total"))
        .as("one copy per shard peer").isEqualTo(2);
    assertThat(after.value("kvs_shard_keys")).isGreaterThanOrEqualTo(1);
    assertThat(after.value("kvs_shard_id")).isZero();
    assertThat(after.value("kvs_requests_unavailable_total", Map.of("cause", "dependencies_unsatisfied")))
        .as("registered before any 503").isZero();
    assertThat(after.types).containsEntry("kvs_requests_unavailable_total", "counter");
    assertThat(after.value("kvs_http_requests_seconds_count",
        Map.of("method", "POST", "route", HttpTransport.PATH, "status", "200"))
        + after.value("kvs_http_requests_seconds_count",
        Map.of("method", "POST", "route", HttpTransport.PATH, "status", "204")))
        .as("peer exchanges, served by the internal fast path").isPositive();
    for (String peer : List.of(cluster.addresses.get(1), cluster.addresses.get(2))) {
      assertThat(after.samples).as("queue gauges of " + peer)
          .anyMatch(s -> s.name().equals("kvs_peer_queued_frames") && peer.equals(s.labels().get("peer")))
          .anyMatch(s -> s.name().equals("kvs_peer_inflight_frames") && peer.equals(s.labels().get("peer")));
    }
    assertThat(after.has("jvm_memory_used_bytes")).as("JvmMemoryMetrics").isTrue();
    assertThat(after.types.keySet()).as("JvmGcMetrics").anyMatch(n -> n.startsWith("jvm_gc_"));
  }

  @Test
  void aReadWaitingForWritesNoReplicaHasIsCountedAsA503ByCause() {
    String put = Http.call("PUT", cluster.url(1, "/kvs/metrics-dep"), "{\"value\": 1}").body();
    // metadata naming a write of the same writer far beyond any it made: no replica will have it
    String future = Http.json(put).get("causal-metadata").toString().replaceAll(":1}", ":1000000}");
    double before = scrape(1).value("kvs_requests_unavailable_total", Map.of("cause", "dependencies_unsatisfied"));

    Http.Response read = Http.call("GET", cluster.url(1, "/kvs/metrics-dep"), "{\"causal-metadata\": " + future + "}");

    assertThat(read.status()).as(read.body()).isEqualTo(503);
    assertThat(scrape(1).value("kvs_requests_unavailable_total", Map.of("cause", "dependencies_unsatisfied")) - before)
        .isEqualTo(1);
  }

  @Test
  void aNodeWithADataDirectoryShowsItsFsyncsAndLogSize(@TempDir Path dir) {
    String address = "127.0.0.1:" + TestCluster.freePort();
    try (KvsServer node = KvsServer.builder().address(address).view(List.of(address)).dataDir(dir)
        .durability(DurabilitySettings.defaults().withFsync(FsyncPolicy.ALWAYS)).start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      assertThat(Http.call("PUT", "http://" + address + "/kvs/k", "{\"value\": 1}").status()).isEqualTo(201);
      Scrape s = new Scrape(Http.call("GET", "http://" + address + "/metrics", null).body());

      assertThat(s.value("kvs_disk_fsync_seconds_count")).as("the write waited for an fsync").isPositive();
      assertThat(s.value("kvs_wal_log_bytes")).isPositive();
    }
  }
}
