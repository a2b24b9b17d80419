package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import io.kvs.testkit.netns.NetnsNode;
import io.kvs.testkit.netns.NodeHttp;
import io.kvs.testkit.process.Poll;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The harness itself: the blackhole route, a node JVM in a namespace whose pid is the JVM's,
 * link down/up, loss and partition rules, kill -9, and a cleanup that leaves nothing behind.
 */
class NetnsHarnessTest {
  @Test
  void rawFieldsAreKeptExactly() {
    String body = "{\"result\":\"found\",\"value\":\"s3-17\",\"causal-metadata\":{\"epoch\":0,"
        + "\"clocks\":{\"0\":{\"10.77.0.2:8090/53f7\":12345678901234567890}}, \"x\" : [1, 2.50, {}]},\"shard-id\":1}";
    NodeHttp.Answer a = new NodeHttp.Answer(200, body);
    assertEquals("{\"epoch\":0,\"clocks\":{\"0\":{\"10.77.0.2:8090/53f7\":12345678901234567890}}, \"x\" : [1, 2.50, {}]}",
        a.metadata());
    assertEquals("\"s3-17\"", a.raw("value"));
    assertEquals(1, a.shardId());
    assertEquals("found", a.text("result"));
    assertNull(a.raw("missing"));
    assertNull(NodeHttp.rawField("not json", "value"));
    assertEquals("\"a\\\"b\"", NodeHttp.quote("a\"b"));
  }

  @Test
  void namespacesFaultsAndCleanup() {
    Faults.assumeNetns();
    String a = NetnsNetwork.address(0);
    try (NetnsCluster c = Faults.cluster("NetnsHarnessTest", 2)) {
      NetnsNetwork net = c.network();
      assertTrue(net.blackholePresent(), "blackhole route for " + NetnsNetwork.RANGE);
      NetnsNode node = c.start(a, c.nodeEnv(a, List.of(a), null));
      c.awaitReady(List.of(a), Duration.ofSeconds(60));
      assertTrue(node.verifyIsJvm(), "the started process is the JVM itself");

      net.linkDown(a);
      assertThrows(IOException.class, () -> NodeHttp.send(a, "GET", "/view", null, Duration.ofSeconds(1)));
      net.linkUp(a);
      Poll.until(Duration.ofSeconds(10), a + " reachable after link up", () -> view(a) == 200);

      net.setLoss(0.2);
      assertTrue(net.rules(a).contains("statistic"), net.rules(a));
      net.setLoss(0);
      assertFalse(net.rules(a).contains("statistic"), net.rules(a));
      net.isolateFromPeers(a);
      assertTrue(net.rules(a).contains("-s " + NetnsNetwork.host(1) + "/32 -j DROP"), net.rules(a));
      assertEquals(200, view(a), "clients still reach a node cut off from its peers");
      net.heal();
      assertFalse(net.rules(a).contains("DROP"), net.rules(a));

      long pid = c.kill9(a);
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " is gone");
      assertThrows(IOException.class, () -> NodeHttp.send(a, "GET", "/view", null, Duration.ofSeconds(1)));
    }
    Map<String, List<String>> left = NetnsNetwork.leftovers();
    assertEquals(Map.of("namespaces", List.of(), "links", List.of(), "routes", List.of()), left,
        "everything created is removed");
  }

  private static int view(String a) {
    try {
      return NodeHttp.send(a, "GET", "/view", null, Duration.ofSeconds(2)).status();
    } catch (IOException e) {
      return -1;
    }
  }
}
