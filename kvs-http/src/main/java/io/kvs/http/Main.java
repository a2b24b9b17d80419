package io.kvs.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Starts kvs nodes from the command line.
 *
 * <ul>
 *   <li>{@code java -jar kvs-node.jar}: one node configured by {@code SOCKET_ADDRESS},
 *       {@code VIEW}, {@code SHARD_COUNT} and {@code KVS_*} variables;</li>
 *   <li>{@code java -jar kvs-node.jar --local 6 [--shards 2] [--base-port 8082]}: a whole
 *       cluster in this JVM on 127.0.0.1, one port per node;</li>
 * </ul>
 * The benchmark is a jar of its own, {@code kvs-bench.jar} (module kvs-bench).
 * With neither {@code SOCKET_ADDRESS} nor {@code VIEW} set, one node starts alone on
 * 127.0.0.1:8090. {@code --help} prints every flag and variable. A configuration problem prints
 * one line to stderr and exits with status 2; a port that cannot be bound exits with status 1.
 * SIGTERM stops every node gracefully (requests in flight are answered) and exits with status 0;
 * Ctrl-C stops them the same way through the shutdown hook.
 */
public final class Main {
  private Main() {}

  /** Entry point. */
  public static void main(String[] args) {
    if (args.length > 0 && args[0].equals("bench")) {
      // the subcommand of earlier versions: say where it went rather than "unknown argument"
      exit(2, "the benchmark is kvs-bench.jar now: java -jar kvs-bench/target/kvs-bench.jar --help");
      return;
    }
    List<String> flags = List.of(args);
    if (!flags.isEmpty() && flags.get(0).equals("--train")) {
      train(flags.subList(1, flags.size()));
      return;
    }
    if (flags.contains("--help") || flags.contains("-h")) {
      System.out.print(Help.text());
      return;
    }
    Map<String, String> env = System.getenv();
    String logFormat = env.getOrDefault("KVS_LOG_FORMAT", "text");
    if (!logFormat.equals("text") && !logFormat.equals("json")) {
      exit(2, "KVS_LOG_FORMAT must be text or json, got '" + logFormat + "'");
      return;
    }
    // before the first logger exists: logback.xml puts it first on every line
    System.setProperty("kvs.log.node", args.length > 0 ? "local"
        : env.getOrDefault("SOCKET_ADDRESS", Environment.SINGLE_NODE_ADDRESS));
    shortDnsCache();
    List<KvsServerBuilder> nodes;
    try {
      nodes = args.length == 0 ? List.of(new Environment(env).nodeBuilder()) : LocalCluster.parse(args, env);
    } catch (IllegalArgumentException e) {
      exit(2, e.getMessage());
      return;
    }
    run(nodes);
  }

  /**
   * Peers are named by host names in Kubernetes, and a pod that returns has a new IP: keep a
   * looked-up address 5 s (the JVM's default is 30 s) and a failed lookup 1 s, unless the user
   * set either.
   */
  private static void shortDnsCache() {
    if (java.security.Security.getProperty("networkaddress.cache.ttl") == null
        && System.getProperty("sun.net.inetaddr.ttl") == null) {
      java.security.Security.setProperty("networkaddress.cache.ttl", "5");
    }
    if (System.getProperty("sun.net.inetaddr.negative.ttl") == null) {
      java.security.Security.setProperty("networkaddress.cache.negative.ttl", "1");
    }
  }

  /** The training run of an AOT cache ({@link Training}); exits 0 so that the JVM writes the cache. */
  private static void train(List<String> args) {
    try {
      Training.run(args);
    } catch (NumberFormatException e) {
      exit(2, "--train takes a number of seconds, got '" + args.get(0) + "'");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    System.exit(0);
  }

  private static void run(List<KvsServerBuilder> nodes) {
    List<KvsServer> started = new ArrayList<>();
    CountDownLatch stopped = new CountDownLatch(1);
    CountDownLatch terminate = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      closeAll(started);
      stopped.countDown();
    }, "kvs-shutdown"));
    boolean handlesTerm = onSigterm(terminate::countDown);
    for (KvsServerBuilder node : nodes) {
      try {
        KvsServer server = node.start();
        synchronized (started) {
          started.add(server);
        }
        if (!"json".equals(System.getenv("KVS_LOG_FORMAT"))) { // json: every line of output is an object
          String scheme = node.tls == null ? "http://" : "https://";
          System.out.println("kvs node " + server.address() + " listening on " + scheme + server.listenAddress());
        }
      } catch (IllegalArgumentException e) {
        exit(2, e.getMessage());
      } catch (IllegalStateException e) {
        exit(1, e.getMessage());
      }
    }
    try {
      (handlesTerm ? terminate : stopped).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (handlesTerm) {
      // exit whatever happens while closing: a JVM whose main thread died here would linger,
      // kept alive by Jetty's threads, until the orchestrator kills it
      System.exit(closeAll(started) ? 0 : 1);
    }
  }

  /**
   * Handles SIGTERM here rather than in the shutdown hook: a JVM that a signal shuts down exits
   * with 143 whatever its hooks do, while an orchestrator expects a graceful stop to exit 0.
   *
   * @return false when this JVM does not let us handle the signal (then the hook stops the nodes)
   */
  private static boolean onSigterm(Runnable action) {
    try {
      sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      return false;
    }
  }

  /**
   * Closes every server, each even when closing another failed (that failure is one line on
   * stderr).
   *
   * @return true when every server closed cleanly
   */
  static boolean closeAll(List<KvsServer> servers) {
    boolean clean = true;
    synchronized (servers) {
      for (KvsServer server : servers) {
        try {
          server.close();
        } catch (RuntimeException e) {
          clean = false;
          System.err.println("kvs: stopping a node failed: " + e);
        }
      }
      servers.clear();
    }
    return clean;
  }

  private static void exit(int status, String message) {
    System.err.println("kvs: " + message);
    System.exit(status);
  }
}
