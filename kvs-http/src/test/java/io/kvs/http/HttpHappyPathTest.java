package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.spi.CausalMetadataJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The contract's success rows on a 4-node, 2-shard cluster. */
class HttpHappyPathTest {
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(4, 2, b -> b);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void keyLifecycleAcrossNodes() {
    String value = "{\"n\": 1.10, \"s\": \"caf\\u00e9\", \"list\": [1, true, null]}";
    Http.Response created = Http.call("PUT", cluster.url(0, "/kvs/life"), "{\"value\": " + value + "}");
    assertThat(created.status()).isEqualTo(201);
    assertThat(created.json().get("result").textValue()).isEqualTo("created");
    assertThat(created.json().get("shard-id").isInt()).isTrue();
    JsonNode meta = created.json().get("causal-metadata");
    assertThat(CausalMetadataJson.fromJson(meta).isEmpty()).isFalse();

    Http.Response replaced = Http.call("PUT", cluster.url(1, "/kvs/life"),
        "{\"value\": " + value + ", \"causal-metadata\": " + meta + "}");
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().get("result").textValue()).isEqualTo("replaced");
    meta = replaced.json().get("causal-metadata");

    for (int node = 0; node < 4; node++) {
      Http.Response found = Http.call("GET", cluster.url(node, "/kvs/life"), "{\"causal-metadata\": " + meta + "}");
      assertThat(found.status()).isEqualTo(200);
      assertThat(found.json().get("result").textValue()).isEqualTo("found");
      assertThat(found.body()).contains("\"value\":" + value + ",");
      assertThat(found.json().get("shard-id")).isEqualTo(created.json().get("shard-id"));
    }

    Http.Response deleted = Http.call("DELETE", cluster.url(2, "/kvs/life"), "{\"causal-metadata\": " + meta + "}");
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.json().get("result").textValue()).isEqualTo("deleted");
    meta = deleted.json().get("causal-metadata");

    Http.Response missing = Http.call("GET", cluster.url(3, "/kvs/life"), "{\"causal-metadata\": " + meta + "}");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").textValue()).isEqualTo("Key does not exist");
    assertThat(missing.json().get("causal-metadata").isObject()).isTrue();
    assertThat(missing.json().size()).isEqualTo(2);
    Http.Response deleteAgain = Http.call("DELETE", cluster.url(0, "/kvs/life"), "{\"causal-metadata\": " + meta + "}");
    assertThat(deleteAgain.status()).isEqualTo(404);
    assertThat(deleteAgain.json().get("error").textValue()).isEqualTo("Key does not exist");
  }

  @Test
  void emptyMetadataFormsAreAccepted() {
    for (String body : new String[] {null, "", "{}", "{\"causal-metadata\": null}", "{\"causal-metadata\": \"\"}",
        "{\"causal-metadata\": {}}"}) {
      Http.Response r = Http.call("GET", cluster.url(0, "/kvs/never-written"), body);
      assertThat(r.status()).as(String.valueOf(body)).isEqualTo(404);
      assertThat(r.json().get("error").textValue()).isEqualTo("Key does not exist");
    }
  }

  @Test
  void keysAreUrlDecoded() {
    String fifty = "%C3%A9".repeat(50);
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/" + fifty), "{\"value\": 1}").status()).isEqualTo(201);
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/a%2Fb%20c"), "{\"value\": \"x\"}").status()).isEqualTo(201);
    Http.Response found = Http.call("GET", cluster.url(0, "/kvs/a%2Fb%20c"), null);
    assertThat(found.json().get("value").textValue()).isEqualTo("x");
  }

  @Test
  void viewAndShardQueriesAgreeOnEveryNode() {
    List<String> sorted = new ArrayList<>(new TreeSet<>(cluster.addresses));
    Set<String> members = new HashSet<>();
    for (int shard = 0; shard < 2; shard++) {
      JsonNode list = Http.call("GET", cluster.url(0, "/shard/members/" + shard), null).json().get("shard-members");
      assertThat(list.size()).isEqualTo(2);
      list.forEach(m -> members.add(m.textValue()));
    }
    assertThat(members).containsExactlyInAnyOrderElementsOf(cluster.addresses);
    for (int node = 0; node < 4; node++) {
      Http.Response view = Http.call("GET", cluster.url(node, "/view"), null);
      assertThat(view.status()).isEqualTo(200);
      assertThat(view.json()).isEqualTo(Http.json("{\"view\": " + Json.MAPPER.valueToTree(sorted) + "}"));
      assertThat(Http.call("GET", cluster.url(node, "/shard/ids"), null).json())
          .isEqualTo(Http.json("{\"shard-ids\": [0, 1]}"));
      int own = Http.call("GET", cluster.url(node, "/shard/node-shard-id"), null).json().get("node-shard-id").intValue();
      assertThat(Http.call("GET", cluster.url(node, "/shard/members/" + own), null).json().get("shard-members")
          .toString()).contains("\"" + cluster.addresses.get(node) + "\"");
    }
  }

  @Test
  void keyCountsAddUpOnEveryNode() {
    long before = totalKeys(0);
    for (int i = 0; i < 20; i++) {
      assertThat(Http.call("PUT", cluster.url(i % 4, "/kvs/count-" + i), "{\"value\": " + i + "}").status())
          .isEqualTo(201);
    }
    for (int node = 0; node < 4; node++) {
      assertThat(totalKeys(node)).isEqualTo(before + 20);
    }
  }

  private static long totalKeys(int node) {
    long total = 0;
    for (int shard = 0; shard < 2; shard++) {
      Http.Response r = Http.call("GET", cluster.url(node, "/shard/key-count/" + shard), null);
      assertThat(r.status()).isEqualTo(200);
      total += r.json().get("shard-key-count").longValue();
    }
    return total;
  }

  @Test
  void viewAddOfAPresentNodeIsAlreadyPresent() {
    Http.Response r = Http.call("PUT", cluster.url(1, "/view"),
        "{\"socket-address\": \"" + cluster.addresses.get(0) + "\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(Http.json("{\"result\": \"already present\"}"));
  }

  @Test
  void manyConcurrentRequestsAreAllAnswered() {
    HttpClient client = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      HttpRequest put = HttpRequest.newBuilder(URI.create(cluster.url(i % 4, "/kvs/burst-" + (i % 50))))
          .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": " + i + "}")).build();
      answers.add(client.sendAsync(put, HttpResponse.BodyHandlers.ofString()));
    }
    int retried = 0;
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<String> r = answers.get(i).join();
      // A 503 is the contract's "try again later"; clients retry, and so does this test.
      for (int attempt = 0; r.statusCode() == 503 && attempt < 3; attempt++) {
        retried++;
        r = client.sendAsync(HttpRequest.newBuilder(r.request().uri())
            .PUT(HttpRequest.BodyPublishers.ofString("{\"value\": " + i + "}")).build(),
            HttpResponse.BodyHandlers.ofString()).join();
      }
      assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }
    assertThat(retried).as("503s retried").isLessThanOrEqualTo(20);
  }
}
