package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.core.NodeSettings;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With TLS, clients and peers speak HTTPS only, and a cluster replicates over it. */
class TlsTest {
  /** Patient enough that a write answered in time proves its acknowledgements came back over TLS. */
  private static final NodeSettings PATIENT = NodeSettings.defaults()
      .with("KVS_REPLICATION_TIMEOUT_MS", 30_000)
      .with("KVS_REMOVE_AFTER_MS", 120_000)
      .with("KVS_SUSPECT_AFTER_MS", 60_000);

  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"ec", "rsa"})
  void servesTheClientApiOverHttpsOnly(String keyType) {
    TestCerts.Pair pair = TestCerts.selfSigned(dir, keyType, keyType, "IP:127.0.0.1");
    HttpClient trusting = TestCerts.clientTrusting(pair.cert());
    try (TestCluster node = new TestCluster(1, 1, b -> b.tls(pair.cert(), pair.key()))) {
      Http.Response put = Http.call(trusting, "PUT", node.httpsUrl(0, "/kvs/k"), "{\"value\": 7}", Map.of());
      assertThat(put.status()).isEqualTo(201);
      Http.Response get = Http.call(trusting, "GET", node.httpsUrl(0, "/kvs/k"), null, Map.of());
      assertThat(get.status()).isEqualTo(200);
      assertThat(get.json().get("value").asInt()).isEqualTo(7);
      // plain HTTP to the TLS port gets no HTTP answer, and a client that does not trust the cert none either
      assertThatThrownBy(() -> Http.call("GET", node.url(0, "/kvs/k"), null)).isInstanceOf(UncheckedIOException.class);
      assertThatThrownBy(() -> Http.call("GET", node.httpsUrl(0, "/kvs/k"), null))
          .isInstanceOf(UncheckedIOException.class).hasStackTraceContaining("PKIX path building failed");
    }
  }

  @Test
  void aClusterOverTlsReplicatesAndHearsAGoodbye() {
    TestCerts.Pair pair = TestCerts.selfSigned(dir, "cluster", "ec", "IP:127.0.0.1");
    HttpClient trusting = TestCerts.clientTrusting(pair.cert());
    // TestCluster waits until every node caught up from its peers: that already takes peer traffic
    try (TestCluster cluster = new TestCluster(3, 1, b -> b.settings(PATIENT).tls(pair.cert(), pair.key()))) {
      // answered within Http's 20 s, not the 30 s replication timeout: both peers' acks came back
      Http.Response put = Http.call(trusting, "PUT", cluster.httpsUrl(0, "/kvs/before"), "{\"value\": 1}", Map.of());
      assertThat(put.status()).isEqualTo(201);
      for (int node : new int[] {1, 2}) {
        Http.await(java.time.Duration.ofSeconds(10), "node " + node + " holds the write",
            () -> Http.call(trusting, "GET", cluster.httpsUrl(node, "/kvs/before"), null, Map.of()).status() == 200);
      }
      // GET /status asks every member over HTTPS too
      Http.Response status = Http.call(trusting, "GET", cluster.httpsUrl(0, "/status"), null, Map.of());
      assertThat(status.json().get("verdict").asText()).as(status.json().toString()).isEqualTo("ok");
      assertThat(status.json().get("nodes").findValues("reachable")).extracting(j -> j.asBoolean())
          .containsExactly(true, true, true);
      // the goodbye travels over TLS too: without it node 0 would wait 30 s for node 2's copy
      cluster.servers.get(2).close();
      Http.Response after = Http.call(trusting, "PUT", cluster.httpsUrl(0, "/kvs/after"), "{\"value\": 2}", Map.of());
      assertThat(after.status()).isEqualTo(201);
    }
  }

  /** Nodes with certificates of their own trust each other through the CA of KVS_TLS_CA. */
  @Test
  void nodesWithTheirOwnCertificatesTrustTheirCa() {
    TestCerts.Pair ca = TestCerts.ca(dir);
    Map<Integer, TestCerts.Pair> perNode = new java.util.concurrent.ConcurrentHashMap<>();
    try (TestCluster cluster = new TestCluster(2, 1, b -> {
      TestCerts.Pair own = perNode.computeIfAbsent(perNode.size(),
          i -> TestCerts.signedBy(dir, "node" + i, ca, "IP:127.0.0.1"));
      return b.tls(own.cert(), own.key(), ca.cert());
    })) {
      HttpClient trusting = TestCerts.clientTrusting(ca.cert());
      assertThat(Http.call(trusting, "PUT", cluster.httpsUrl(0, "/kvs/k"), "{\"value\": 1}", Map.of()).status())
          .isEqualTo(201);
      Http.await(java.time.Duration.ofSeconds(10), "node 1 holds the write",
          () -> Http.call(trusting, "GET", cluster.httpsUrl(1, "/kvs/k"), null, Map.of()).status() == 200);
    }
  }

  /**
   * Peers verify that a certificate names the address they dial: with one made for 127.0.0.2
   * only, nodes on 127.0.0.1 cannot reach each other, so neither catches up.
   */
  @Test
  void peersRefuseACertificateForAnotherAddress() {
    TestCerts.Pair elsewhere = TestCerts.selfSigned(dir, "elsewhere", "ec", "IP:127.0.0.2");
    java.util.List<String> addresses = java.util.List.of("127.0.0.1:" + TestCluster.freePort(),
        "127.0.0.1:" + TestCluster.freePort());
    java.util.List<KvsServer> servers = new java.util.ArrayList<>();
    try {
      for (String address : addresses) {
        servers.add(KvsServer.builder().address(address).view(addresses).shardCount(1)
            .tls(elsewhere.cert(), elsewhere.key()).start());
      }
      assertThat(servers.get(0).awaitReady(java.time.Duration.ofSeconds(3))).isFalse();
      assertThat(servers.get(1).awaitReady(java.time.Duration.ofMillis(1))).isFalse();
    } finally {
      servers.forEach(KvsServer::close);
    }
  }
}
