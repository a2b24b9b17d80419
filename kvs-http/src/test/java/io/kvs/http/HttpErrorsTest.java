package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every error row of the contract and every kind of bad input: exact status and JSON, and no change. */
class HttpErrorsTest {
  private static final int LIMIT = 4096;
  private static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestCluster(4, 2, b -> b.maxBodyBytes(LIMIT));
    assertThat(Http.call("PUT", cluster.url(0, "/kvs/k1"), "{\"value\": {\"v\": 1}}").status()).isEqualTo(201);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static Stream<Arguments> badRequests() {
    String big = "{\"value\": \"" + "x".repeat(LIMIT) + "\"}";
    String tooLarge = "Request body is larger than the limit of " + LIMIT + " bytes";
    return Stream.of(
        arguments("PUT", "/kvs/k1", "{\"causal-metadata\": {}}", 400, "PUT request does not specify a value"),
        arguments("PUT", "/kvs/k1", "{\"value\": null}", 400, "PUT request does not specify a value"),
        arguments("PUT", "/kvs/k1", null, 400, "PUT request does not specify a value"),
        arguments("PUT", "/kvs/" + "k".repeat(51), "{\"value\": 1}", 400, "Key is too long"),
        arguments("GET", "/kvs/" + "k".repeat(51), null, 400, "Key is too long"),
        arguments("PUT", "/kvs/" + "%C3%A9".repeat(51), "{\"value\": 1}", 400, "Key is too long"),
        arguments("PUT", "/kvs/", "{\"value\": 1}", 400, "Key is empty"),
        arguments("PUT", "/kvs/k1", "{\"value\": 2, \"causal-metadata\": 5}", 400, "Invalid causal metadata"),
        arguments("PUT", "/kvs/k1", "{\"value\": 2, \"causal-metadata\": {\"epoch\": -1, \"clocks\": {}}}", 400,
            "Invalid causal metadata"),
        arguments("GET", "/kvs/k1", "{\"causal-metadata\": {\"epoch\": \"x\"}}", 400, "Invalid causal metadata"),
        arguments("DELETE", "/kvs/k1", "{\"causal-metadata\": [1]}", 400, "Invalid causal metadata"),
        arguments("DELETE", "/kvs/k1", "{\"causal-metadata\": {\"epoch\": 1, \"clocks\": {\"0\": {\"w\": 0}}}}", 400,
            "Invalid causal metadata"),
        arguments("PUT", "/kvs/k1", "not json", 400, "Request body is not valid JSON"),
        arguments("PUT", "/kvs/k1", "{\"value\": 2", 400, "Request body is not valid JSON"),
        arguments("PUT", "/kvs/k1", "{\"value\": 2, \"value\": 3}", 400, "Request body is not valid JSON"),
        arguments("PUT", "/kvs/k1", "{\"value\": 2} {}", 400, "Request body is not valid JSON"),
        arguments("DELETE", "/kvs/k1", "{", 400, "Request body is not valid JSON"),
        arguments("PUT", "/kvs/k1", "[{\"value\": 2}]", 400, "Request body must be a JSON object"),
        arguments("GET", "/kvs/k1", "\"x\"", 400, "Request body must be a JSON object"),
        arguments("PUT", "/view", "{\"socket-address\": 5}", 400, "Socket address must look like IP:PORT"),
        arguments("PUT", "/view", "{}", 400, "Socket address must look like IP:PORT"),
        arguments("PUT", "/view", "{\"socket-address\": \"nonsense\"}", 400, "Socket address must look like IP:PORT"),
        arguments("PUT", "/view", "5", 400, "Request body must be a JSON object"),
        arguments("DELETE", "/view", "{\"socket-address\": [1]}", 400, "Socket address must look like IP:PORT"),
        arguments("DELETE", "/view", "{\"socket-address\": \"127.0.0.1:1\"}", 404, "View has no such replica"),
        arguments("PUT", "/shard/reshard", "{\"shard-count\": \"x\"}", 400, "Shard count must be a positive integer"),
        arguments("PUT", "/shard/reshard", "{\"shard-count\": 1.5}", 400, "Shard count must be a positive integer"),
        arguments("PUT", "/shard/reshard", "{\"shard-count\": 0}", 400, "Shard count must be a positive integer"),
        arguments("PUT", "/shard/reshard", "{}", 400, "Shard count must be a positive integer"),
        arguments("PUT", "/shard/reshard", "{\"shard-count\": 3}", 400,
            "Not enough nodes to provide fault tolerance with requested shard count"),
        arguments("GET", "/shard/members/2", null, 404, "Shard does not exist"),
        arguments("GET", "/shard/members/x", null, 404, "Shard does not exist"),
        arguments("GET", "/shard/members/-1", null, 404, "Shard does not exist"),
        arguments("GET", "/shard/key-count/2", null, 404, "Shard does not exist"),
        arguments("GET", "/shard/key-count/abc", null, 404, "Shard does not exist"),
        arguments("PUT", "/shard/add-member/5", "{\"socket-address\": \"{self}\"}", 404, "Shard does not exist"),
        arguments("PUT", "/shard/add-member/0", "{\"socket-address\": \"127.0.0.1:1\"}", 404, "View has no such replica"),
        arguments("PUT", "/shard/add-member/0", "{\"socket-address\": 5}", 400, "Socket address must look like IP:PORT"),
        arguments("GET", "/nope", null, 404, "No route for GET /nope"),
        arguments("GET", "/kvs/a/b", null, 404, "No route for GET /kvs/a/b"),
        arguments("POST", "/view", "{}", 405, "Method POST is not allowed on /view"),
        arguments("PUT", "/shard/ids", "{}", 405, "Method PUT is not allowed on /shard/ids"),
        arguments("POST", "/kvs/k1", "{\"value\": 2}", 405, "Method POST is not allowed on /kvs/k1"),
        arguments("PATCH", "/shard/reshard", "{\"shard-count\": 1}", 405, "Method PATCH is not allowed on /shard/reshard"),
        arguments("PUT", "/kvs/k1", big, 413, tooLarge),
        arguments("PUT", "/view", big, 413, tooLarge),
        arguments("GET", "/kvs/k1", big, 413, tooLarge),
        arguments("POST", "/internal/message", "x", 400, "Header X-Kvs-From must name the sender as IP:PORT"));
  }

  @ParameterizedTest(name = "{0} {1} -> {3} {4}")
  @MethodSource("badRequests")
  void badRequestGetsExactJsonErrorAndChangesNothing(String method, String path, String body, int status,
                                                     String error) {
    List<String> before = snapshot();
    String b = body == null ? null : body.replace("{self}", cluster.addresses.get(0));
    for (int node = 0; node < 2; node++) {
      Http.Response r = Http.call(method, cluster.url(node, path), b);
      assertThat(r.status()).as(r.body()).isEqualTo(status);
      assertThat(r.contentType()).startsWith("application/json");
      assertThat(r.json()).isEqualTo(Json.error(error));
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void unsatisfiableDependenciesAre503AndChangeNothing() {
    Http.Response put = Http.call("PUT", cluster.url(0, "/kvs/k2"), "{\"value\": 1}");
    int shard = put.json().get("shard-id").intValue();
    long epoch = put.json().get("causal-metadata").get("epoch").longValue();
    String future = "{\"epoch\": " + epoch + ", \"clocks\": {\"" + shard + "\": {\"nobody:1/x\": 5}}}";
    List<String> before = snapshot();
    for (String method : List.of("GET", "PUT", "DELETE")) {
      Http.Response r = Http.call(method, cluster.url(1, "/kvs/k2"), "{\"value\": 2, \"causal-metadata\": " + future + "}");
      assertThat(r.status()).as(method + " " + r.body()).isEqualTo(503);
      assertThat(r.json()).isEqualTo(Json.error("Causal dependencies not satisfied; try again later"));
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void internalEndpointRefusesABodyThatIsNotAFrameBatch() {
    List<String> before = snapshot();
    Http.Response r = Http.call("POST", cluster.url(0, "/internal/message"), "garbage",
        Map.of("X-Kvs-From", cluster.addresses.get(1)));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("error").asText()).startsWith("Frame batch");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void internalEndpointDropsMalformedFramesInABatchAndAnswers204() {
    List<String> before = snapshot();
    String batchOfOneGarbageFrame = "\u0000\u0000\u0000\u0007garbage";
    Http.Response r = Http.call("POST", cluster.url(0, "/internal/message"), batchOfOneGarbageFrame,
        Map.of("X-Kvs-From", cluster.addresses.get(1)));
    assertThat(r.status()).isEqualTo(204);
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void requestsJettyRejectsItselfAreJsonToo() throws IOException {
    List<String> before = snapshot();
    assertThat(raw("GET /kvs/%zz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 400").contains("application/json").endsWith("{\"error\":\"Malformed HTTP request\"}");
    assertThat(raw("GARBAGE\r\n\r\n"))
        .startsWith("HTTP/1.1 400").contains("application/json").endsWith("{\"error\":\"Malformed HTTP request\"}");
    assertThat(raw("GET /view HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20000) + "\r\nConnection: close\r\n\r\n"))
        .startsWith("HTTP/1.1 431").contains("application/json")
        .endsWith("{\"error\":\"Request headers are too large\"}");
    assertThat(snapshot()).isEqualTo(before);
  }

  /** Sends raw bytes to node 0 and returns the whole answer. */
  private static String raw(String request) throws IOException {
    String[] hostPort = cluster.addresses.get(0).split(":");
    try (Socket socket = new Socket(InetAddress.getByName(hostPort[0]), Integer.parseInt(hostPort[1]))) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  /** What any request could change: views, placement, key counts, and the probe key. */
  private static List<String> snapshot() {
    List<String> state = new ArrayList<>();
    for (int node = 0; node < cluster.addresses.size(); node++) {
      state.add(Http.call("GET", cluster.url(node, "/view"), null).body());
      state.add(Http.call("GET", cluster.url(node, "/shard/node-shard-id"), null).body());
    }
    for (String path : List.of("/shard/ids", "/shard/members/0", "/shard/members/1", "/shard/key-count/0",
        "/shard/key-count/1", "/kvs/k1")) {
      state.add(Http.call("GET", cluster.url(0, path), null).body());
    }
    return state;
  }
}
