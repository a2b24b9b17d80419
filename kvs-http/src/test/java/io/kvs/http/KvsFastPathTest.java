package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The key fast path ({@link KvsFastPath}) must answer exactly as the Javalin routes do: the same
 * requests, sent to a node with it and to one without, get the same statuses and bodies.
 */
class KvsFastPathTest {
  private static final String LONG_KEY = "k".repeat(51);

  /** Method, path, body: good requests and every kind of bad one the contract names. */
  private static final List<String[]> REQUESTS = List.of(
      new String[] {"GET", "/kvs/missing", null},
      new String[] {"PUT", "/kvs/a", "{\"value\": {\"n\": 1.50, \"s\": \"x\"}, \"causal-metadata\": null}"},
      new String[] {"PUT", "/kvs/a", "{\"value\": 2}"},
      new String[] {"GET", "/kvs/a", "{\"causal-metadata\": null}"},
      new String[] {"GET", "/kvs/a", null},
      new String[] {"PUT", "/kvs/b", "{\"causal-metadata\": null}"},
      new String[] {"PUT", "/kvs/b", "{\"value\": null}"},
      new String[] {"PUT", "/kvs/b", "not json"},
      new String[] {"PUT", "/kvs/b", "[1, 2]"},
      new String[] {"PUT", "/kvs/b", "{\"value\": 1, \"causal-metadata\": \"bogus\"}"},
      new String[] {"PUT", "/kvs/" + LONG_KEY, "{\"value\": 1}"},
      new String[] {"PUT", "/kvs/b", "{\"value\": \"" + "v".repeat(2000) + "\"}"},
      new String[] {"DELETE", "/kvs/a", null},
      new String[] {"DELETE", "/kvs/a", "{}"},
      new String[] {"GET", "/kvs/a", null},
      new String[] {"PUT", "/kvs/with%20space", "{\"value\": 3}"},
      new String[] {"GET", "/kvs/with%20space", null});

  @Test
  void answersEveryRequestAsTheJavalinRoutesDo() {
    int port = TestCluster.freePort();
    List<String> fast = answers(port, true);
    List<String> routed = answers(port, false);
    assertThat(fast).containsExactlyElementsOf(routed);
  }

  @Test
  void plainKeyPathsOnlyAreTakenOffJavalin() {
    assertThat(KvsFastPath.plainKeyPath("/kvs/a-b.c_d~9Z")).isTrue();
    assertThat(KvsFastPath.plainKeyPath("/kvs/")).isFalse();
    assertThat(KvsFastPath.plainKeyPath("/kvs")).isFalse();
    assertThat(KvsFastPath.plainKeyPath("/kvs/a%20b")).isFalse();
    assertThat(KvsFastPath.plainKeyPath("/kvs/a/b")).isFalse();
    assertThat(KvsFastPath.plainKeyPath("/kvsa")).isFalse();
    assertThat(KvsFastPath.plainKeyPath("/view")).isFalse();
  }

  /** Runs {@link #REQUESTS} against a fresh single node; returns "status body" per request. */
  private static List<String> answers(int port, boolean fastPath) {
    String address = "127.0.0.1:" + port;
    KvsServerBuilder builder = KvsServer.builder().address(address).view(List.of(address)).shardCount(1)
        .maxBodyBytes(1024);
    builder.kvFastPath = fastPath;
    List<String> answers = new ArrayList<>();
    try (NodeRuntime node = (NodeRuntime) builder.start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      for (String[] r : REQUESTS) {
        Http.Response response = Http.call(r[0], "http://" + address + r[1], r[2], Map.of());
        // each start draws a new incarnation, the one part of the metadata that must differ
        String body = response.body().replaceAll("/[0-9a-f]{16}\\.", "/INCARNATION.");
        answers.add(response.status() + " " + response.contentType() + " " + body);
      }
      // a body over the limit goes to Javalin too, which answers 413
      long plain = REQUESTS.stream()
          .filter(r -> KvsFastPath.plainKeyPath(r[1]) && (r[2] == null || r[2].length() <= 1024)).count();
      assertThat(node.kvFastPathServed()).isEqualTo(fastPath ? plain : 0);
    }
    return answers;
  }
}
