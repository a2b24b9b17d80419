package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nodes named by host names, as in a Kubernetes StatefulSet ({@code kvs-0.kvs:PORT}): the view
 * reports the names, and a node that returns on another IP under its name is reached there,
 * because a peer's name is looked up again for every connection. A map stands in for DNS.
 */
class HostNamesTest {
  private final Map<String, InetAddress> dns = new ConcurrentHashMap<>();
  private final HostResolver resolver = host -> {
    InetAddress a = dns.get(host);
    if (a == null) {
      throw new UnknownHostException(host);
    }
    return a;
  };
  private final List<KvsServer> servers = new ArrayList<>();

  @AfterEach
  void close() {
    servers.forEach(KvsServer::close);
  }

  private KvsServer start(String address, List<String> view, String ip) {
    // no anti-entropy: only a write's own replication can bring it to the moved node
    KvsServerBuilder b = KvsServer.builder().address(address).view(view).listenHost(ip)
        .settings(io.kvs.core.NodeSettings.defaults().with("KVS_ANTI_ENTROPY_INTERVAL_MS", 3_600_000));
    b.hostResolver = resolver;
    KvsServer server = b.start();
    servers.add(server);
    return server;
  }

  private static String url(String ip, String address, String path) {
    return "http://" + ip + ":" + address.substring(address.lastIndexOf(':') + 1) + path;
  }

  @Test
  void namedNodesReplicateAndANodeBackOnANewIpIsReachedUnderItsName() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      names.add("kvs-" + i + ".kvs:" + TestCluster.freePort());
      dns.put("kvs-" + i + ".kvs", InetAddress.getByName("127.0.0.1"));
    }
    for (String name : names) {
      start(name, names, "127.0.0.1");
    }
    String first = url("127.0.0.1", names.get(0), "");
    Http.await(Duration.ofSeconds(30), "every node is ready",
        () -> servers.stream().allMatch(s -> s.awaitReady(Duration.ZERO)));
    assertThat(Http.call("GET", first + "/view", null).json().get("view").toString())
        .isEqualTo("[\"" + String.join("\",\"", names) + "\"]");
    assertThat(Http.call("PUT", first + "/kvs/a", "{\"value\": 1}").status()).isEqualTo(201);

    // kvs-2 comes back on 127.0.0.2: its old address is closed, only its name leads there
    servers.remove(2).close();
    dns.put("kvs-2.kvs", InetAddress.getByName("127.0.0.2"));
    start(names.get(2), names, "127.0.0.2");
    String moved = url("127.0.0.2", names.get(2), "");
    Http.await(Duration.ofSeconds(30), "the moved node is ready", () -> servers.get(2).awaitReady(Duration.ZERO));
    assertThat(Http.call("PUT", first + "/kvs/b", "{\"value\": 2}").status()).isEqualTo(201);
    Http.await(Duration.ofSeconds(10), "the moved node holds both writes",
        () -> servers.get(2).openSession().getJson("a").isPresent() && servers.get(2).openSession().getJson("b").isPresent());
    assertThat(Http.call("GET", moved + "/kvs/b", null).json().get("value").asInt()).isEqualTo(2);
  }
}
