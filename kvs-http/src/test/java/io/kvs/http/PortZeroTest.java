package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.Session;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Port 0: a single node without a view, or nodes bound first and given the view after. */
class PortZeroTest {
  private static int portOf(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  @Test
  void aSingleNodeOnPortZeroReportsTheBoundAddressAndServesOnIt() {
    try (KvsServer node = KvsServer.builder().address("127.0.0.1:0").start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      assertThat(portOf(node.address())).isPositive();
      assertThat(node.address()).startsWith("127.0.0.1:");
      assertThat(node.listenAddress()).isEqualTo(node.address());
      assertThat(node.view()).containsExactly(node.address());
      Http.Response put = Http.call("PUT", "http://" + node.address() + "/kvs/x", "{\"value\": 7}");
      assertThat(put.status()).isEqualTo(201);
      assertThat(node.openSession().get("x")).contains(Http.json("7"));
    }
  }

  @Test
  void threeNodesBoundOnPortZeroThenGivenTheView() {
    List<BoundPort> ports = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ports.add(KvsServer.builder().address("127.0.0.1:0").bind());
    }
    List<String> view = ports.stream().map(BoundPort::address).toList();
    assertThat(view).doesNotHaveDuplicates().allSatisfy(a -> assertThat(portOf(a)).isPositive());
    List<KvsServer> nodes = new ArrayList<>();
    try {
      ports.forEach(p -> nodes.add(p.start(view)));
      nodes.forEach(n -> assertThat(n.awaitReady(Duration.ofSeconds(15))).isTrue());
      assertThat(nodes).extracting(KvsServer::address).containsExactlyElementsOf(view);
      nodes.get(0).openSession().put("greeting", Map.of("text", "hello"));
      Session other = nodes.get(2).openSession();
      Http.await(Duration.ofSeconds(10), "the write reaches the third node", () -> other.get("greeting").isPresent());
      Http.Response got = Http.call("GET", "http://" + view.get(1) + "/kvs/greeting", null);
      assertThat(got.status()).isEqualTo(200);
      assertThat(got.json().get("value").get("text").asText()).isEqualTo("hello");
      assertThat(nodes.get(1).view()).containsExactlyInAnyOrderElementsOf(view);
    } finally {
      nodes.forEach(KvsServer::close);
      ports.forEach(BoundPort::close);
    }
  }

  @Test
  void portZeroWithAViewIsRefusedInOneSentence() {
    assertThatThrownBy(() -> KvsServer.builder().address("127.0.0.1:0").view(List.of("127.0.0.1:0")).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a view cannot name a node on port 0 before it is bound: leave the view out for a single "
            + "node, or call bind() and give the view to BoundPort.start");
  }

  @Test
  void aBoundPortStartsOnceAndCloseReleasesIt() throws IOException {
    BoundPort port = KvsServer.builder().address("127.0.0.1:0").bind();
    assertThatThrownBy(() -> port.start(List.of("127.0.0.1:1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the view must contain this node's address " + port.address());
    port.close();
    assertThatThrownBy(() -> port.start(List.of(port.address()))).isInstanceOf(IllegalStateException.class)
        .hasMessage("the bound port " + port.address() + " was already started or closed");
    try (ServerSocket again = new ServerSocket(portOf(port.address()), 1, InetAddress.getLoopbackAddress())) {
      assertThat(again.getLocalPort()).isEqualTo(portOf(port.address()));
    }
  }

  @Test
  void aPortInUseIsReportedWhenBinding() {
    try (KvsServer node = KvsServer.builder().address("127.0.0.1:0").start()) {
      assertThatThrownBy(() -> KvsServer.builder().address(node.address()).bind())
          .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("cannot listen on " + node.address());
    }
  }

  @Test
  void aNodeWithoutAListenerServesItsSessionsAlone() {
    try (KvsServer node = KvsServer.builder().httpListener(false).start()) {
      assertThat(node.awaitReady(Duration.ofSeconds(10))).isTrue();
      assertThat(node.address()).isEqualTo(KvsServerBuilder.IN_PROCESS_ADDRESS);
      assertThat(node.view()).containsExactly(KvsServerBuilder.IN_PROCESS_ADDRESS);
      Session s = node.openSession();
      s.put("k", List.of(1, 2));
      Optional<JsonNode> v = s.get("k");
      assertThat(v).contains(Http.json("[1,2]"));
      assertThatThrownBy(node::listenAddress).isInstanceOf(IllegalStateException.class)
          .hasMessage("this node runs without an HTTP listener");
    }
  }

  @Test
  void aNodeWithoutAListenerRefusesPeersAndBinding() {
    assertThatThrownBy(() -> KvsServer.builder().httpListener(false).address("127.0.0.1:7001")
        .view(List.of("127.0.0.1:7001", "127.0.0.1:7002")).start())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a node without an HTTP listener can neither reach peers nor be reached, so its view "
            + "must be itself alone");
    assertThatThrownBy(() -> KvsServer.builder().httpListener(false).bind())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("a node without an HTTP listener has no port to bind");
  }
}
