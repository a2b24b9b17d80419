package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** With a cluster secret, internal endpoints refuse outsiders while nodes still talk to each other. */
class ClusterSecretTest {
  @Test
  void internalEndpointNeedsTheSecret() {
    try (TestCluster cluster = new TestCluster(2, null, b -> b.clusterSecret("s3cret"))) {
      String url = cluster.url(0, "/internal/message");
      String from = cluster.addresses.get(1);
      Http.Response none = Http.call("POST", url, "x", Map.of("X-Kvs-From", from));
      Http.Response wrong = Http.call("POST", url, "x", Map.of("X-Kvs-From", from, "X-Kvs-Secret", "guess"));
      for (Http.Response r : new Http.Response[] {none, wrong}) {
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json()).isEqualTo(Json.error("Internal endpoints need the cluster secret"));
      }
      Http.Response right = Http.call("POST", url, "", Map.of("X-Kvs-From", from, "X-Kvs-Secret", "s3cret"));
      assertThat(right.status()).isEqualTo(204);

      // Both nodes caught up (TestCluster waited), so frames carried the secret; a write replicates too.
      assertThat(Http.call("PUT", cluster.url(0, "/kvs/x"), "{\"value\": 1}").status()).isEqualTo(201);
      Http.await(java.time.Duration.ofSeconds(10), "node 1 sees the write",
          () -> Http.call("GET", cluster.url(1, "/kvs/x"), null).status() == 200);
    }
  }
}
