package io.kvs.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --local N [--shards S] [--base-port P] [--data-dir DIR]}: N nodes on 127.0.0.1,
 * ports P to P+N-1 (default 8082), all in one view, with S shards (default: unsharded); with a
 * data directory, node {@code 127.0.0.1:P} keeps its data in {@code DIR/node-P}.
 */
final class LocalCluster {
  private static final String USAGE = "usage: kvs-node.jar [--local N [--shards S] [--base-port P] [--data-dir DIR]]";

  private LocalCluster() {}

  /** One builder per node; {@link IllegalArgumentException} with one sentence on bad flags. */
  static List<KvsServerBuilder> parse(String[] args, Map<String, String> env) {
    Integer nodes = null;
    Integer shards = null;
    int basePort = 8082;
    java.nio.file.Path dataDir = null;
    for (int i = 0; i < args.length; i++) {
      String flag = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value; " + USAGE : USAGE);
      }
      if (flag.equals("--data-dir")) {
        dataDir = java.nio.file.Path.of(args[++i]);
        continue;
      }
      int value = positive(flag, args[++i]);
      switch (flag) {
        case "--local" -> nodes = value;
        case "--shards" -> shards = value;
        case "--base-port" -> basePort = value;
        default -> throw new IllegalArgumentException("unknown option " + flag + "; " + USAGE);
      }
    }
    if (nodes == null) {
      throw new IllegalArgumentException("--local is required with other options; " + USAGE);
    }
    if (basePort + nodes - 1 > 65535) {
      throw new IllegalArgumentException("--base-port " + basePort + " leaves no room for " + nodes + " nodes");
    }
    return builders(nodes, shards, basePort, dataDir, new Environment(env));
  }

  private static List<KvsServerBuilder> builders(int nodes, Integer shards, int basePort, java.nio.file.Path dataDir,
                                                 Environment env) {
    List<String> view = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      view.add("127.0.0.1:" + (basePort + i));
    }
    List<KvsServerBuilder> result = new ArrayList<>();
    for (String address : view) {
      String port = address.substring(address.lastIndexOf(':') + 1);
      result.add(env.common(KvsServer.builder().address(address).view(view).shardCount(shards)
          .listenHost("127.0.0.1").dataDir(dataDir == null ? null : dataDir.resolve("node-" + port))));
    }
    return result;
  }

  private static int positive(String flag, String raw) {
    try {
      int value = Integer.parseInt(raw);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(flag + " must be a positive integer, got '" + raw + "'");
  }
}
