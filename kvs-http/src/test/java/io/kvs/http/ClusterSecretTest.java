package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With a cluster secret, internal endpoints refuse outsiders with 401 while nodes still talk to
 * each other. Both paths that serve {@code /internal/} are checked: a well-formed message is
 * {@link InternalFastPath}'s to serve, anything else goes to {@link InternalRoutes}.
 */
class ClusterSecretTest {
  private static final String SECRET = "s3cret";

  @Test
  void internalEndpointsAnswer401WithoutTheRightSecret() {
    try (TestCluster cluster = new TestCluster(2, null, b -> b.clusterSecret(SECRET))) {
      String url = cluster.url(0, HttpTransport.PATH);
      String from = cluster.addresses.get(1);
      // well-formed messages: the fast path would serve them (an empty batch is valid) but for the secret
      Http.Response none = Http.call("POST", url, "", Map.of("X-Kvs-From", from));
      Http.Response wrong = Http.call("POST", url, "", Map.of("X-Kvs-From", from, "X-Kvs-Secret", "guess"));
      // a GET never takes the fast path: InternalRoutes' own check answers it
      Http.Response routed = Http.call("GET", url, null, Map.of());
      for (Http.Response r : new Http.Response[] {none, wrong, routed}) {
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json()).isEqualTo(Json.error("Internal endpoints need the cluster secret"));
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("X-Kvs-Secret");
      }
      Http.Response right = Http.call("POST", url, "", Map.of("X-Kvs-From", from, "X-Kvs-Secret", SECRET));
      assertThat(right.status()).isEqualTo(204);
      // past the check, the routes serve it: a GET is then a wrong method, not a missing secret
      assertThat(Http.call("GET", url, null, Map.of("X-Kvs-Secret", SECRET)).status()).isEqualTo(405);

      // Both nodes caught up (TestCluster waited), so frames carried the secret; a write replicates too.
      assertThat(Http.call("PUT", cluster.url(0, "/kvs/x"), "{\"value\": 1}").status()).isEqualTo(201);
      Http.await(Duration.ofSeconds(10), "node 1 sees the write",
          () -> Http.call("GET", cluster.url(1, "/kvs/x"), null).status() == 200);
    }
  }
}
