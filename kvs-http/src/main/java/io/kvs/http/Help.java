package io.kvs.http;

import io.kvs.core.DurabilitySettings;
import io.kvs.core.NodeSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The text of {@code --help}: every command-line flag and every environment variable a node
 * reads. Defaults come from the code that applies them, so the text cannot drift from them.
 */
final class Help {
  private record Row(String name, String fallback, String meaning) {}

  private static final String USAGE = String.join("\n",
      "usage: java -jar kvs-node.jar                  one node, configured by the variables below",
      "       java -jar kvs-node.jar --local N [--shards S] [--base-port P] [--data-dir DIR]",
      "       java -XX:AOTCacheOutput=kvs.aot -jar kvs-node.jar --train [SECONDS]",
      "                           (JDK 25+) record an ahead-of-time cache; start nodes with -XX:AOTCache=kvs.aot",
      "       (the benchmark is kvs-bench.jar: java -jar kvs-bench.jar --help lists its flags)",
      "",
      "flags:",
      "  -h, --help          print this text and exit",
      "  --local N           run N nodes in this JVM on 127.0.0.1, all in one view",
      "  --shards S          with --local: shards of the new cluster (default: one replicated shard)",
      "  --base-port P       with --local: ports P .. P+N-1 (default 8082)",
      "  --data-dir DIR      with --local: node 127.0.0.1:P keeps its data in DIR/node-P (default: memory)",
      "",
      "With neither SOCKET_ADDRESS nor VIEW set, one node starts alone on " + Environment.SINGLE_NODE_ADDRESS + ".",
      "",
      "environment:");

  private Help() {}

  /** The whole text, ending with a newline. */
  static String text() {
    StringBuilder out = new StringBuilder(USAGE).append('\n');
    for (Row row : rows()) {
      out.append(String.format(Locale.ROOT, "  %-30s %-11s %s%n", row.name, row.fallback, row.meaning));
    }
    return out.toString();
  }

  private static List<Row> rows() {
    Map<String, Long> timing = NodeSettings.defaults().toMap();
    DurabilitySettings durability = DurabilitySettings.defaults();
    return List.of(
        new Row("SOCKET_ADDRESS", "(see above)", "HOST:PORT other nodes reach this node at (an IP or a DNS name); its port is the HTTP port"),
        new Row("VIEW", "(see above)", "comma-separated addresses of the initial view, this node included"),
        new Row("SHARD_COUNT", "none", "shards of a new cluster; without it, one replicated shard"),
        new Row("KVS_LISTEN_HOST", "0.0.0.0", "interface to listen on (127.0.0.1 for the single node)"),
        new Row("KVS_DEPENDENCY_WAIT_MS", ms(timing, "KVS_DEPENDENCY_WAIT_MS"),
            "how long a request with missing causal dependencies waits before a 503"),
        new Row("KVS_REPLICATION_TIMEOUT_MS", ms(timing, "KVS_REPLICATION_TIMEOUT_MS"),
            "how long a write waits for its shard's other replicas"),
        new Row("KVS_FORWARD_TIMEOUT_MS", ms(timing, "KVS_FORWARD_TIMEOUT_MS"),
            "how long a request relayed to another shard waits"),
        new Row("KVS_HEARTBEAT_INTERVAL_MS", ms(timing, "KVS_HEARTBEAT_INTERVAL_MS"), "gossip and liveness period"),
        new Row("KVS_SUSPECT_AFTER_MS", ms(timing, "KVS_SUSPECT_AFTER_MS"),
            "silence after which a peer is no longer waited for"),
        new Row("KVS_REMOVE_AFTER_MS", ms(timing, "KVS_REMOVE_AFTER_MS"),
            "silence after which a peer leaves the view"),
        new Row("KVS_ANTI_ENTROPY_INTERVAL_MS", ms(timing, "KVS_ANTI_ENTROPY_INTERVAL_MS"),
            "how often replicas compare digests"),
        new Row("KVS_RESHARD_TIMEOUT_MS", ms(timing, "KVS_RESHARD_TIMEOUT_MS"),
            "how long each reshard phase waits for every node"),
        new Row("KVS_TOMBSTONE_GRACE_MS", ms(timing, "KVS_TOMBSTONE_GRACE_MS"),
            "least time a delete's tombstone is kept"),
        new Row("KVS_MAX_BODY_BYTES", String.valueOf(KvsServerBuilder.DEFAULT_MAX_BODY_BYTES),
            "larger client requests get 413"),
        new Row("KVS_MAX_FRAME_BYTES", String.valueOf(KvsServerBuilder.DEFAULT_MAX_FRAME_BYTES),
            "larger node-to-node messages are refused"),
        new Row("KVS_CLUSTER_SECRET", "none", "when set, /internal/ endpoints require header X-Kvs-Secret (else 401)"),
        new Row("KVS_TLS_CERT", "none", "PEM certificate chain: with KVS_TLS_KEY, HTTPS for clients and peers"),
        new Row("KVS_TLS_KEY", "none", "PEM private key of KVS_TLS_CERT (unencrypted PKCS#8, RSA or EC)"),
        new Row("KVS_TLS_CA", "none", "PEM bundle peers' certificates must chain to; without it, KVS_TLS_CERT's own"),
        new Row("KVS_IDLE_TIMEOUT_MS", String.valueOf(KvsServerBuilder.DEFAULT_IDLE_TIMEOUT_MS),
            "a connection silent this long, or slower to send a request head, is closed"),
        new Row("KVS_MAX_CONNECTIONS", String.valueOf(KvsServerBuilder.DEFAULT_MAX_CONNECTIONS),
            "most connections held open at once; more wait until one closes"),
        new Row("KVS_LOG_FORMAT", "text", "text: one line per event, the node's address first; json: one JSON object a line"),
        new Row("KVS_DATA_DIR", "none", "the node's data directory (write-ahead log); without it, memory only"),
        new Row("KVS_FSYNC", durability.fsync().name().toLowerCase(Locale.ROOT),
            "with a data directory: always, interval or never"),
        new Row("KVS_FSYNC_INTERVAL_MS", String.valueOf(durability.fsyncIntervalMs()), "sync period of interval"),
        new Row("KVS_MIN_ACK_REPLICAS", String.valueOf(durability.minAckReplicas()),
            "replicas that must hold a write before it is acknowledged"));
  }

  private static String ms(Map<String, Long> timing, String name) {
    return String.valueOf(timing.get(name));
  }
}
