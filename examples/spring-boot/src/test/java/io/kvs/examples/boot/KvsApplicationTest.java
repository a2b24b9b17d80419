package io.kvs.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.http.KvsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The app starts with kvs-http first on its class path, and a write through it reads back, in
 * the app and on a second node that replicates it over the node-to-node HTTP transport (so the
 * Jetty client and server versions Boot's BOM manages are exercised both ways).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KvsApplicationTest {
  private static final String APP_NODE = "127.0.0.1:" + freePort();
  private static final String PEER = "127.0.0.1:" + freePort();
  private static KvsServer peer;

  @Autowired
  TestRestTemplate rest;

  @Autowired
  KvsServer kvs;

  @DynamicPropertySource
  static void cluster(DynamicPropertyRegistry properties) {
    properties.add("kvs.address", () -> APP_NODE);
    properties.add("kvs.view", () -> APP_NODE + "," + PEER);
  }

  @BeforeAll
  static void startThePeer() {
    peer = KvsServer.builder().address(PEER).view(List.of(APP_NODE, PEER)).listenHost("127.0.0.1").start();
  }

  @AfterAll
  static void stopThePeer() {
    peer.close();
  }

  @Test
  void logbackIsTheBindingKvsBroughtNone() {
    assertThat(LoggerFactory.getILoggerFactory()).isInstanceOf(LoggerContext.class);
  }

  @Test
  void aNoteWrittenThroughTheAppReadsBackThereAndOnThePeer() throws InterruptedException {
    rest.put("/notes/n1", Map.of("text", "buy milk", "done", false));
    ResponseEntity<JsonNode> answer = rest.getForEntity("/notes/n1", JsonNode.class);
    assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.OK);
    assertThat(answer.getBody().get("text").asText()).isEqualTo("buy milk");
    assertThat(rest.getForEntity("/notes/absent", String.class).getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);

    var onPeer = peer.openSession();
    Optional<JsonNode> replica = Optional.empty();
    for (long end = System.nanoTime() + Duration.ofSeconds(10).toNanos(); replica.isEmpty() && System.nanoTime() < end; ) {
      replica = onPeer.get("n1");
      Thread.sleep(50);
    }
    assertThat(replica).hasValueSatisfying(v -> assertThat(v.get("text").asText()).isEqualTo("buy milk"));
  }

  @Test
  void theEmbeddedNodeServesTheKvsContractOnItsOwnPort() throws Exception {
    kvs.openSession().put("k", Map.of("n", 7));
    HttpResponse<String> answer = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://" + kvs.listenAddress() + "/kvs/k")).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(new ObjectMapper().readTree(answer.body()).get("value").get("n").asInt()).isEqualTo(7);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
