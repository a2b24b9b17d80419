package io.kvs.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Timing settings of a node, all in milliseconds. Defaults suit a LAN: a crashed node leaves
 * every view within about ten seconds, and a slow one is suspected, not removed.
 *
 * @param dependencyWaitMs how long a request whose causal dependencies are missing waits
 *     before it is answered 503
 * @param replicationTimeoutMs how long a write waits for its shard's other replicas
 * @param forwardTimeoutMs how long a forwarded request waits for the shard member it went to
 * @param heartbeatIntervalMs how often a node gossips membership and liveness
 * @param suspectAfterMs silence after which a peer is no longer waited for
 * @param removeAfterMs silence, direct and reported by others, after which a peer leaves the view
 * @param antiEntropyIntervalMs how often a replica compares digests with a random shard peer
 * @param reshardTimeoutMs how long each phase of a reshard waits for every node
 * @param tombstoneGraceMs how long a tombstone is kept at least, even once every replica of
 *     its shard holds it, so that no older write still in flight can resurrect its key
 */
public record NodeSettings(long dependencyWaitMs, long replicationTimeoutMs, long forwardTimeoutMs,
                           long heartbeatIntervalMs, long suspectAfterMs, long removeAfterMs,
                           long antiEntropyIntervalMs, long reshardTimeoutMs, long tombstoneGraceMs) {
  /** Validates every setting. */
  public NodeSettings {
    Map<String, Long> all = asMap(dependencyWaitMs, replicationTimeoutMs, forwardTimeoutMs,
        heartbeatIntervalMs, suspectAfterMs, removeAfterMs, antiEntropyIntervalMs, reshardTimeoutMs,
        tombstoneGraceMs);
    all.forEach((name, v) -> {
      if (v < 0) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
    });
    if (heartbeatIntervalMs < 1 || antiEntropyIntervalMs < 1) {
      throw new IllegalArgumentException("KVS_HEARTBEAT_INTERVAL_MS and KVS_ANTI_ENTROPY_INTERVAL_MS must be positive");
    }
    if (removeAfterMs <= suspectAfterMs) {
      throw new IllegalArgumentException("KVS_REMOVE_AFTER_MS must be greater than KVS_SUSPECT_AFTER_MS");
    }
  }

  /** The defaults. */
  public static NodeSettings defaults() {
    return new NodeSettings(50, 1000, 3000, 1000, 3000, 6000, 2000, 10000, 60000);
  }

  /**
   * These settings with one changed, named as its environment variable (for example
   * {@code with("KVS_ANTI_ENTROPY_INTERVAL_MS", 500)}).
   *
   * @throws IllegalArgumentException for an unknown name or an invalid value
   */
  public NodeSettings with(String name, long value) {
    Map<String, Long> values = toMap();
    if (!values.containsKey(name)) {
      throw new IllegalArgumentException("unknown setting " + name + "; known: " + values.keySet());
    }
    values.put(name, value);
    return of(values);
  }

  private static NodeSettings of(Map<String, Long> values) {
    Long[] v = values.values().toArray(new Long[0]);
    return new NodeSettings(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
  }

  /**
   * Settings from {@code KVS_*} variables (for example {@code KVS_DEPENDENCY_WAIT_MS=100});
   * absent ones keep their defaults, unknown {@code KVS_*} names are ignored here.
   *
   * @throws IllegalArgumentException naming the variable when a value is not a number
   */
  public static NodeSettings fromEnvironment(Map<String, String> env) {
    Map<String, Long> values = defaults().toMap();
    for (String name : values.keySet()) {
      String raw = env.get(name);
      if (raw != null) {
        try {
          values.put(name, Long.parseLong(raw.trim()));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name + " must be a whole number of milliseconds, got '" + raw + "'");
        }
      }
    }
    return of(values);
  }

  /** Settings by environment variable name, in declaration order. */
  public Map<String, Long> toMap() {
    return asMap(dependencyWaitMs, replicationTimeoutMs, forwardTimeoutMs, heartbeatIntervalMs,
        suspectAfterMs, removeAfterMs, antiEntropyIntervalMs, reshardTimeoutMs, tombstoneGraceMs);
  }

  private static Map<String, Long> asMap(long... v) {
    String[] names = {"KVS_DEPENDENCY_WAIT_MS", "KVS_REPLICATION_TIMEOUT_MS", "KVS_FORWARD_TIMEOUT_MS",
        "KVS_HEARTBEAT_INTERVAL_MS", "KVS_SUSPECT_AFTER_MS", "KVS_REMOVE_AFTER_MS",
        "KVS_ANTI_ENTROPY_INTERVAL_MS", "KVS_RESHARD_TIMEOUT_MS", "KVS_TOMBSTONE_GRACE_MS"};
    Map<String, Long> map = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      map.put(names[i], v[i]);
    }
    return map;
  }
}
