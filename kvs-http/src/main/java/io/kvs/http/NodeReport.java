package io.kvs.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvs.core.NodeStatus;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;
import java.util.Properties;

/**
 * One node's own report, {@code GET /status/node}: the core's {@link NodeStatus} plus what only
 * the process knows (version, uptime, heap, and its client requests per second, p99 latency and
 * 503 answers from {@link RequestFigures}). {@link ClusterStatus} gathers these from every
 * member to build {@code GET /status}.
 */
final class NodeReport {
  /** This build's version, from a resource Maven fills in; "unknown" when run from an IDE. */
  static final String VERSION = readVersion();

  private final long startedNanos = System.nanoTime();
  /** Null for a node without metrics. */
  private final RequestFigures requests;

  NodeReport(RequestFigures requests) {
    this.requests = requests;
  }

  /** The report of this node as JSON, read from {@code status} on the node's thread. */
  ObjectNode json(NodeStatus status) {
    ObjectNode json = Json.object();
    json.put("address", status.address());
    json.put("incarnation", status.incarnation());
    json.put("version", VERSION);
    json.put("uptime-ms", (System.nanoTime() - startedNanos) / 1_000_000);
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    json.put("heap-used-bytes", heap.getUsed());
    json.put("heap-max-bytes", heap.getMax());
    if (requests != null) {
      RequestFigures.Figures f = requests.now();
      json.put("requests-per-second", Math.round(f.requestsPerSecond() * 10) / 10.0);
      if (f.p99Ms() < 0) {
        json.putNull("p99-ms");
      } else {
        json.put("p99-ms", f.p99Ms());
      }
      json.put("unavailable-503s", f.unavailable());
    }
    json.put("epoch", status.epoch());
    json.put("shard-count", status.shardCount());
    if (status.shard().isPresent()) {
      json.put("shard-id", status.shard().getAsInt());
    } else {
      json.putNull("shard-id");
    }
    json.put("caught-up", status.caughtUp());
    json.put("keys", status.liveKeys());
    json.put("tombstones", status.tombstones());
    json.put("digest", String.format(Locale.ROOT, "%08x", (int) status.digest()));
    putOrNull(json, "last-anti-entropy-ago-ms", status.lastAntiEntropyAgoMs());
    json.put("reshard", status.reshard());
    ArrayNode members = json.putArray("members");
    for (NodeStatus.Member m : status.members()) {
      ObjectNode member = members.addObject();
      member.put("address", m.address());
      member.put("state", m.state().name().toLowerCase(Locale.ROOT));
      putOrNull(member, "shard-id", m.shard());
      putOrNull(member, "silent-ms", m.silentMs());
    }
    return json;
  }

  private static void putOrNull(ObjectNode json, String field, long value) {
    if (value < 0) {
      json.putNull(field);
    } else {
      json.put(field, value);
    }
  }

  private static String readVersion() {
    try (InputStream in = NodeReport.class.getResourceAsStream("kvs-version.properties")) {
      if (in == null) {
        return "unknown";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "unknown");
      return v.startsWith("${") ? "unknown" : v;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
