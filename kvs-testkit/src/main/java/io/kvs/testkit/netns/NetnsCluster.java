package io.kvs.testkit.netns;

import io.kvs.testkit.process.NodeProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kvs cluster of real JVMs, each in its own network namespace of a {@link NetnsNetwork}. It
 * remembers how each address was started, so a node can be restarted (memory lost) with the same
 * address and configuration, keeps the run's common clock ({@link #nowMs()}), and
 * {@link #close()} stops every JVM it started and then removes the network.
 */
public final class NetnsCluster implements AutoCloseable {
  /** Failure detection and anti-entropy faster than the defaults, so faults play out in seconds. */
  public static final Map<String, String> FAST_TIMINGS = Map.of(
      "KVS_HEARTBEAT_INTERVAL_MS", "500",
      "KVS_SUSPECT_AFTER_MS", "1500",
      "KVS_REMOVE_AFTER_MS", "3000",
      "KVS_ANTI_ENTROPY_INTERVAL_MS", "1000");

  private final NetnsNetwork network;
  private final Path jar;
  private final Path logDir;
  private final List<String> jvmArgs;
  private final Map<String, String> commonEnv;
  private final long originNanos = System.nanoTime();
  private final Map<String, NetnsNode> current = new LinkedHashMap<>();
  private final Map<String, Integer> incarnations = new LinkedHashMap<>();
  private final List<NetnsNode> started = Collections.synchronizedList(new ArrayList<>());
  private final Thread shutdownHook = new Thread(this::stopAll, "netns-cluster-shutdown");

  private NetnsCluster(NetnsNetwork network, Path jar, Path logDir, Map<String, String> commonEnv) {
    this.network = network;
    this.jar = jar;
    this.logDir = logDir;
    this.jvmArgs = NodeProcess.jvmArgs();
    this.commonEnv = Map.copyOf(commonEnv);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Creates the network ({@code slots} namespaces) and an empty cluster on it.
   *
   * @param jar the node jar ({@link NodeProcess#locateJar()})
   * @param logDir where node logs go, as {@code <ip>_<port>-<n>.log}
   * @param commonEnv variables for every node (for example {@link #FAST_TIMINGS})
   */
  public static NetnsCluster create(int slots, Path jar, Path logDir, Map<String, String> commonEnv) {
    return new NetnsCluster(NetnsNetwork.create(slots), jar, logDir, commonEnv);
  }

  /** The network, for faults. */
  public NetnsNetwork network() {
    return network;
  }

  /** Milliseconds since the cluster was created: the clock of the run's history. */
  public long nowMs() {
    return (System.nanoTime() - originNanos) / 1_000_000L;
  }

  /** A node's environment: {@code SOCKET_ADDRESS}, {@code VIEW}, {@code SHARD_COUNT} if given, common variables. */
  public Map<String, String> nodeEnv(String address, List<String> view, Integer shardCount) {
    Map<String, String> env = new LinkedHashMap<>(commonEnv);
    env.put("SOCKET_ADDRESS", address);
    env.put("VIEW", String.join(",", view));
    if (shardCount != null) {
      env.put("SHARD_COUNT", Integer.toString(shardCount));
    }
    return env;
  }

  /** Starts one node per address, each with {@code VIEW} = {@code addresses}. */
  public void startAll(List<String> addresses, Integer shardCount) {
    for (String a : addresses) {
      start(a, nodeEnv(a, addresses, shardCount));
    }
  }

  /** Starts a node at {@code address} (in its slot's namespace) with exactly {@code env}. */
  public synchronized NetnsNode start(String address, Map<String, String> env) {
    NetnsNode running = current.get(address);
    if (running != null && running.isAlive()) {
      throw new IllegalStateException("A node already runs at " + address);
    }
    int n = incarnations.merge(address, 1, Integer::sum);
    NetnsNode node = NetnsNode.start(network.ipCommand(), network.namespaceOf(address), address, jar, jvmArgs, env,
        logDir.resolve(address.replace(':', '_') + "-" + n + ".log"));
    started.add(node);
    current.put(address, node);
    return node;
  }

  /** {@code kill -9} of the node at {@code address}; returns the killed JVM's pid. */
  public synchronized long kill9(String address) {
    NetnsNode node = node(address);
    if (!node.verifyIsJvm()) {
      throw new IllegalStateException("pid " + node.pid() + " of " + address + " is not the node's JVM");
    }
    node.kill9();
    return node.pid();
  }

  /** Restarts {@code address} with its last configuration (killing it first if it runs). */
  public synchronized NetnsNode restart(String address) {
    NetnsNode old = node(address);
    if (old.isAlive()) {
      old.kill9();
    }
    return start(address, old.env());
  }

  /** The latest node started at {@code address}. */
  public synchronized NetnsNode node(String address) {
    NetnsNode n = current.get(address);
    if (n == null) {
      throw new IllegalArgumentException("No node was started at " + address);
    }
    return n;
  }

  /** Addresses whose latest JVM is running, in start order. */
  public synchronized List<String> liveAddresses() {
    List<String> out = new ArrayList<>();
    current.forEach((a, n) -> {
      if (n.isAlive()) {
        out.add(a);
      }
    });
    return out;
  }

  /**
   * Waits until each node answers {@code GET /view} with 200 and runs as the JVM itself.
   *
   * @throws AssertionError with the node's log tail when one does not in time or exits
   */
  public void awaitReady(Collection<String> addresses, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String a : addresses) {
      NetnsNode node = node(a);
      String last = "no attempt";
      while (true) {
        if (!node.isAlive()) {
          throw new AssertionError("node " + a + " exited with code " + node.exitCode() + "\n--- "
              + node.logFile() + " ---\n" + node.logTail(40));
        }
        try {
          NodeHttp.Answer r = NodeHttp.send(a, "GET", "/view", null, Duration.ofSeconds(2));
          if (r.status() == 200 && node.verifyIsJvm()) {
            break;
          }
          last = r.toString();
        } catch (IOException e) {
          last = e.toString();
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("node " + a + " not ready within " + timeout + " (last: " + last + ")\n--- "
              + node.logFile() + " ---\n" + node.logTail(40));
        }
        sleep(100);
      }
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Every JVM started, oldest first (killed ones included). */
  public List<NetnsNode> allStarted() {
    synchronized (started) {
      return List.copyOf(started);
    }
  }

  /** Stops every JVM started (SIGTERM, then SIGKILL), then removes the network. */
  @Override
  public void close() {
    try {
      stopAll();
    } finally {
      network.close();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // shutting down
      }
    }
  }

  private void stopAll() {
    List<NetnsNode> all = allStarted();
    all.forEach(n -> {
      if (n.isAlive()) {
        n.stop();
      }
    });
  }
}
