package io.kvs.bench;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Starts what a deployed run measures, each node its own process on 127.0.0.1, as users run them. */
final class DeployedSystems {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final DeployedOptions options;

  DeployedSystems(DeployedOptions options) {
    this.options = options;
  }

  /**
   * {@code nodes} kvs processes forming one cluster of {@code shards} shards (0: no SHARD_COUNT),
   * returned once every node serves.
   */
  ChildProcesses kvs(String name, int nodes, int shards, Path logs) {
    ChildProcesses c = new ChildProcesses(logs.resolve(name));
    List<String> view = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      view.add("127.0.0.1:" + BenchCluster.freePort());
    }
    try {
      for (int i = 0; i < nodes; i++) {
        Map<String, String> env = new HashMap<>();
        env.put("SOCKET_ADDRESS", view.get(i));
        env.put("VIEW", String.join(",", view));
        if (shards > 0) {
          env.put("SHARD_COUNT", Integer.toString(shards));
        }
        if (options.dataDir != null) {
          env.put("KVS_DATA_DIR", emptied(options.dataDir.resolve(name + "-" + i)).toString());
          env.put("KVS_FSYNC", options.fsync);
        }
        c.start("node-" + i, view.get(i), javaCommand(List.of("-jar", options.nodeJar.toString())), env);
      }
      // a 404 comes from the key's shard: the node knows the layout and the owner answers
      c.awaitReady(READY_TIMEOUT, a -> ChildProcesses.get(a, "/kvs/bench-ready-probe"), s -> s == 200 || s == 404);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /**
   * A bare Javalin map node (the in-process bench's baseline) in a process of its own, run from
   * this JVM's class path: BaselineServer is part of the bench, not of the node jar.
   */
  ChildProcesses baseline(Path logs) {
    ChildProcesses c = new ChildProcesses(logs.resolve("baseline"));
    String address = "127.0.0.1:" + BenchCluster.freePort();
    c.start("baseline", address, javaCommand(List.of("-cp", System.getProperty("java.class.path"), BaselineServer.class.getName(),
        address.substring(address.indexOf(':') + 1))), Map.of());
    try {
      c.awaitReady(READY_TIMEOUT, a -> ChildProcesses.get(a, BaselineServer.PREFIX + "probe"), s -> s == 404);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** A 3-member etcd cluster with its data under {@code --etcd-data-dir} (tmpfs by default). */
  ChildProcesses etcd(Path logs) {
    ChildProcesses c = new ChildProcesses(logs.resolve("etcd"));
    int members = 3;
    List<Integer> clientPorts = new ArrayList<>();
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      clientPorts.add(BenchCluster.freePort());
      peers.add("e" + i + "=http://127.0.0.1:" + BenchCluster.freePort());
    }
    try {
      for (int i = 0; i < members; i++) {
        String client = "http://127.0.0.1:" + clientPorts.get(i);
        String peer = peers.get(i).substring(peers.get(i).indexOf('=') + 1);
        c.start("etcd-" + i, "127.0.0.1:" + clientPorts.get(i), List.of(options.etcd, "--name", "e" + i,
            "--data-dir", emptied(options.etcdDataDir.resolve("e" + i)).toString(),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", String.join(",", peers), "--initial-cluster-state", "new",
            "--initial-cluster-token", "kvs-bench", "--log-level", "warn"), Map.of());
      }
      c.awaitReady(READY_TIMEOUT, a -> HttpRequest.newBuilder(java.net.URI.create("http://" + a + "/v3/kv/range"))
          .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"cHJvYmU=\"}")).timeout(Duration.ofSeconds(2)).build(),
          s -> s == 200);
      return c;
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
  }

  private List<String> javaCommand(List<String> rest) {
    List<String> cmd = new ArrayList<>();
    cmd.add(options.java);
    cmd.addAll(options.jvmFlags);
    cmd.addAll(rest);
    return cmd;
  }

  private static Path emptied(Path dir) {
    BenchCluster.emptied(dir);
    return dir;
  }
}
