package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /status}: this node's report plus every other member's {@code GET /status/node},
 * fetched in parallel, judged by {@link StatusVerdict}. A member that does not answer within
 * {@link #FETCH_TIMEOUT_MS} counts as unreachable from here.
 */
final class ClusterStatus {
  static final long FETCH_TIMEOUT_MS = 1_000;
  static final String NODE_PATH = "/status/node";

  private final javax.net.ssl.SSLContext tls;
  private final String scheme;
  /** Made at the first status request: a JDK client starts a thread, which most nodes never need. */
  private HttpClient client;

  /** @param tls the context peers are reached with over HTTPS, or null for plain HTTP */
  ClusterStatus(javax.net.ssl.SSLContext tls) {
    this.tls = tls;
    this.scheme = tls == null ? "http" : "https";
  }

  private synchronized HttpClient client() {
    if (client == null) {
      HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(FETCH_TIMEOUT_MS))
          .version(HttpClient.Version.HTTP_1_1);
      if (tls != null) {
        b.sslContext(tls);
      }
      client = b.build();
    }
    return client;
  }

  /** The cluster's status as seen from the node whose own report is {@code self}. */
  CompletableFuture<ObjectNode> gather(ObjectNode self) {
    Map<String, CompletableFuture<JsonNode>> pending = new TreeMap<>();
    for (JsonNode member : self.get("members")) {
      String address = member.get("address").asText();
      if (!address.equals(self.get("address").asText()) && !"left".equals(member.get("state").asText())) {
        pending.put(address, fetch(address));
      }
    }
    List<CompletableFuture<JsonNode>> all = new ArrayList<>(pending.values());
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, JsonNode> reports = new TreeMap<>();
      pending.forEach((address, report) -> reports.put(address, report.join()));
      return StatusVerdict.assemble(self, reports);
    });
  }

  /** The member's report, or null when it cannot be had. */
  private CompletableFuture<JsonNode> fetch(String address) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://" + address + NODE_PATH))
        .timeout(Duration.ofMillis(FETCH_TIMEOUT_MS)).GET().build();
    return client().sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> r.statusCode() == 200 ? Json.parseOrNull(r.body()) : null)
        .exceptionally(e -> null);
  }
}
