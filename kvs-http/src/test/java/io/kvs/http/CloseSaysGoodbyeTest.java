package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.NodeSettings;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} tells the node's peers it is leaving. With a replication timeout (30 s) longer
 * than the HTTP client's (20 s), a write at a peer can only be answered if that peer stopped
 * waiting for the closed node's copy on hearing the goodbye.
 */
class CloseSaysGoodbyeTest {
  private static final NodeSettings PATIENT = NodeSettings.defaults()
      .with("KVS_REPLICATION_TIMEOUT_MS", 30_000)
      .with("KVS_REMOVE_AFTER_MS", 120_000)
      .with("KVS_SUSPECT_AFTER_MS", 60_000);

  @Test
  void peersAnswerWritesAtOnceAfterANodeCloses() {
    try (TestCluster cluster = new TestCluster(3, 1, b -> b.settings(PATIENT))) {
      assertThat(Http.call("PUT", cluster.url(0, "/kvs/before"), "{\"value\": 1}").status()).isEqualTo(201);
      cluster.servers.get(2).close();
      Http.Response put = Http.call("PUT", cluster.url(0, "/kvs/after"), "{\"value\": 2}");
      assertThat(put.status()).isEqualTo(201);
      assertThat(Http.call("GET", cluster.url(1, "/kvs/after"), null).status()).isEqualTo(200);
    }
  }
}
