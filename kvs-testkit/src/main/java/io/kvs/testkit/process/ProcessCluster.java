package io.kvs.testkit.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A cluster of real kvs nodes, one JVM each, every node on its own address (for example
 * {@code 127.0.0.2:8090} … {@code 127.0.0.7:8090}, each listening only on its own IP through
 * {@code KVS_LISTEN_HOST}). It remembers how each address was started so that a node can be
 * restarted with the same address and configuration, and {@link #close()} stops every JVM it
 * started (and nothing else).
 */
public final class ProcessCluster implements AutoCloseable {
  private final Path jar;
  private final Path logDir;
  private final List<String> jvmArgs;
  private final Map<String, String> commonEnv;
  private final Map<String, NodeProcess> current = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> envByAddress = new LinkedHashMap<>();
  private final Map<String, Integer> incarnations = new LinkedHashMap<>();
  private final List<NodeProcess> started = Collections.synchronizedList(new ArrayList<>());
  private final Thread shutdownHook;

  /**
   * A cluster with no nodes yet.
   *
   * @param jar the node jar (see {@link NodeProcess#locateJar()})
   * @param logDir where each node's log goes, as {@code <ip>_<port>-<n>.log}
   * @param commonEnv variables given to every node (for example {@code KVS_*} timings)
   */
  public ProcessCluster(Path jar, Path logDir, Map<String, String> commonEnv) {
    this.jar = jar;
    this.logDir = logDir;
    this.jvmArgs = NodeProcess.jvmArgs();
    this.commonEnv = Map.copyOf(commonEnv);
    this.shutdownHook = new Thread(this::stopAll, "process-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * The environment of a node: {@code SOCKET_ADDRESS}, {@code VIEW}, {@code KVS_LISTEN_HOST}
   * (the address's IP), {@code SHARD_COUNT} when not {@code null}, then the common variables.
   */
  public Map<String, String> nodeEnv(String address, List<String> view, Integer shardCount) {
    Map<String, String> env = new LinkedHashMap<>(commonEnv);
    env.put("SOCKET_ADDRESS", address);
    env.put("VIEW", String.join(",", view));
    env.put("KVS_LISTEN_HOST", host(address));
    if (shardCount != null) {
      env.put("SHARD_COUNT", Integer.toString(shardCount));
    }
    return env;
  }

  /**
   * Starts one node per address, all with {@code VIEW} = {@code addresses}.
   *
   * @param shardCount {@code SHARD_COUNT}, or {@code null} to start without it
   */
  public List<NodeProcess> startAll(List<String> addresses, Integer shardCount) {
    List<NodeProcess> nodes = new ArrayList<>();
    for (String a : addresses) {
      nodes.add(start(a, nodeEnv(a, addresses, shardCount)));
    }
    return nodes;
  }

  /** Starts a node at {@code address} with exactly {@code env}; remembered for {@link #restart}. */
  public synchronized NodeProcess start(String address, Map<String, String> env) {
    NodeProcess running = current.get(address);
    if (running != null && running.isAlive()) {
      throw new IllegalStateException("A node started by this cluster already runs at " + address);
    }
    int n = incarnations.merge(address, 1, Integer::sum);
    Path log = logDir.resolve(address.replace(':', '_') + "-" + n + ".log");
    NodeProcess node = NodeProcess.start(jar, address, env, jvmArgs, log);
    started.add(node);
    current.put(address, node);
    envByAddress.put(address, Map.copyOf(env));
    return node;
  }

  /**
   * Restarts the node at {@code address} with the same configuration, killing it first
   * ({@link NodeProcess#kill9()}) if it still runs. Its memory is lost, as after a crash.
   */
  public synchronized NodeProcess restart(String address) {
    Map<String, String> env = envByAddress.get(address);
    if (env == null) {
      throw new IllegalArgumentException("No node was started at " + address);
    }
    NodeProcess old = current.get(address);
    if (old != null && old.isAlive()) {
      old.kill9();
    }
    return start(address, env);
  }

  /** The latest node started at {@code address}. */
  public synchronized NodeProcess node(String address) {
    return Optional.ofNullable(current.get(address))
        .orElseThrow(() -> new IllegalArgumentException("No node was started at " + address));
  }

  /** Every address started, in order. */
  public synchronized List<String> addresses() {
    return List.copyOf(current.keySet());
  }

  /** A client for {@code address}. */
  public KvsHttpClient client(String address) {
    return new KvsHttpClient(address);
  }

  /**
   * Waits until every given node answers {@code GET /view} with 200.
   *
   * @throws AssertionError naming the node and showing its log tail when it does not in time, or
   *     at once ({@link NodeExitedException}) when its JVM exited
   */
  public void awaitReady(List<String> addresses, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (String a : addresses) {
      NodeProcess node = node(a);
      KvsHttpClient client = client(a);
      try {
        Poll.until(deadline, "node " + a + " answers GET /view", () -> {
          if (!node.isAlive()) {
            throw new NodeExitedException(node);
          }
          return client.view().status() == 200;
        });
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "\n--- last lines of " + node.logFile() + " ---\n"
            + node.logTail(40), e);
      }
    }
  }

  /** Stops (SIGTERM, then SIGKILL after 10 s) every JVM this cluster started. */
  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // already shutting down
    }
  }

  private void stopAll() {
    List<NodeProcess> all;
    synchronized (started) {
      all = new ArrayList<>(started);
    }
    all.forEach(p -> {
      if (p.isAlive()) {
        p.stop();
      }
    });
  }

  /** The IP part of {@code IP:PORT}. */
  public static String host(String address) {
    int colon = address.lastIndexOf(':');
    return colon < 0 ? address : address.substring(0, colon);
  }

  /** The port part of {@code IP:PORT}. */
  public static int port(String address) {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }

  /**
   * Checks that this machine can listen on every address (bind and release at once).
   *
   * @return empty when all can be bound, else one line saying which cannot and why
   */
  public static Optional<String> cannotBind(List<String> addresses) {
    for (String a : addresses) {
      try (ServerSocket s = new ServerSocket()) {
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(host(a), port(a)));
      } catch (IOException | UncheckedIOException e) {
        return Optional.of("cannot listen on " + a + " (" + e.getMessage() + ")");
      }
    }
    return Optional.empty();
  }

  /** Thrown while waiting for a node whose JVM has already exited (ends the wait at once). */
  public static final class NodeExitedException extends AssertionError {
    private static final long serialVersionUID = 1L;

    NodeExitedException(NodeProcess node) {
      super("node " + node.name() + " exited with code " + node.exitCode() + "; log " + node.logFile());
    }
  }
}
