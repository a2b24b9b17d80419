package io.kvs.http;

import io.kvs.core.Addresses;
import io.kvs.core.NodeSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a node's configuration from environment variables: {@code SOCKET_ADDRESS},
 * {@code VIEW}, {@code SHARD_COUNT}, the core's {@code KVS_*_MS} settings, and the HTTP
 * layer's {@code KVS_LISTEN_HOST}, {@code KVS_MAX_BODY_BYTES}, {@code KVS_MAX_FRAME_BYTES}
 * and {@code KVS_CLUSTER_SECRET}, and durability's {@code KVS_DATA_DIR}, {@code KVS_FSYNC},
 * {@code KVS_FSYNC_INTERVAL_MS} and {@code KVS_MIN_ACK_REPLICAS}. Every problem is an {@link IllegalArgumentException} with one
 * sentence naming the variable.
 *
 * <p>Security and bounds ({@code docs/security.md}): {@code KVS_TLS_CERT} and {@code KVS_TLS_KEY}
 * (both or neither) and {@code KVS_TLS_CA}, {@code KVS_IDLE_TIMEOUT_MS}, {@code KVS_MAX_CONNECTIONS}.
 */
final class Environment {
  /** Where a node started with neither SOCKET_ADDRESS nor VIEW runs: alone, on loopback. */
  static final String SINGLE_NODE_ADDRESS = "127.0.0.1:8090";
  private static final Logger LOG = LoggerFactory.getLogger(Environment.class);

  private final Map<String, String> env;

  Environment(Map<String, String> env) {
    this.env = env;
  }

  /**
   * A builder configured from the environment for one node; with neither SOCKET_ADDRESS nor
   * VIEW set, the {@link #singleNode single node} of a first run.
   */
  KvsServerBuilder nodeBuilder() {
    if (singleNode()) {
      LOG.info("{}: neither SOCKET_ADDRESS nor VIEW is set, so this is a single node on {} "
          + "(set both to run a cluster)", SINGLE_NODE_ADDRESS, SINGLE_NODE_ADDRESS);
      return withSettings(SINGLE_NODE_ADDRESS, List.of(SINGLE_NODE_ADDRESS), optional("KVS_LISTEN_HOST", "127.0.0.1"));
    }
    String address = required("SOCKET_ADDRESS", "the IP:PORT other nodes reach this node at");
    if (!Addresses.valid(address)) {
      throw new IllegalArgumentException("SOCKET_ADDRESS must look like IP:PORT, got '" + address + "'");
    }
    List<String> view = addresses("VIEW", required("VIEW", "a comma-separated list of IP:PORT addresses"));
    if (!view.contains(address)) {
      throw new IllegalArgumentException("VIEW must contain SOCKET_ADDRESS " + address);
    }
    return withSettings(address, view, optional("KVS_LISTEN_HOST", "0.0.0.0"));
  }

  /**
   * True when neither SOCKET_ADDRESS nor VIEW is set: a first run, which gets one node on
   * loopback rather than a refusal. Setting only one of them is still an error.
   */
  boolean singleNode() {
    return optional("SOCKET_ADDRESS", null) == null && optional("VIEW", null) == null;
  }

  private KvsServerBuilder withSettings(String address, List<String> view, String listenHost) {
    String dataDir = optional("KVS_DATA_DIR", null);
    return common(KvsServer.builder().address(address).view(view).shardCount(positiveInt("SHARD_COUNT"))
        .listenHost(listenHost).dataDir(dataDir == null ? null : java.nio.file.Path.of(dataDir)));
  }

  /** Settings, limits and secret shared by every node of this process. */
  KvsServerBuilder common(KvsServerBuilder builder) {
    return builder.settings(settings()).durability(io.kvs.core.DurabilitySettings.fromEnvironment(env))
        .maxBodyBytes(positiveLong("KVS_MAX_BODY_BYTES", KvsServerBuilder.DEFAULT_MAX_BODY_BYTES))
        .maxFrameBytes(positiveLong("KVS_MAX_FRAME_BYTES", KvsServerBuilder.DEFAULT_MAX_FRAME_BYTES))
        .clusterSecret(optional("KVS_CLUSTER_SECRET", null))
        .tls(tls()).idleTimeoutMs(positiveLong("KVS_IDLE_TIMEOUT_MS", KvsServerBuilder.DEFAULT_IDLE_TIMEOUT_MS))
        .maxConnections(positiveInt("KVS_MAX_CONNECTIONS", KvsServerBuilder.DEFAULT_MAX_CONNECTIONS));
  }

  /** How TLS problems name the files: by their variables. */
  private static final TlsMaterial.Names TLS_NAMES =
      new TlsMaterial.Names("KVS_TLS_CERT file", "KVS_TLS_KEY file", "KVS_TLS_CA file");

  /** The TLS material of KVS_TLS_CERT, KVS_TLS_KEY and KVS_TLS_CA, read now; null without TLS. */
  TlsMaterial tls() {
    String cert = optional("KVS_TLS_CERT", null);
    String key = optional("KVS_TLS_KEY", null);
    String ca = optional("KVS_TLS_CA", null);
    if (cert == null && key == null) {
      if (ca != null) {
        throw new IllegalArgumentException("KVS_TLS_CA is set but TLS is not: set KVS_TLS_CERT and KVS_TLS_KEY too");
      }
      return null;
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException((cert == null ? "KVS_TLS_CERT" : "KVS_TLS_KEY")
          + " is required when " + (cert == null ? "KVS_TLS_KEY" : "KVS_TLS_CERT") + " is set: TLS needs both");
    }
    return TlsMaterial.load(path("KVS_TLS_CERT", cert), path("KVS_TLS_KEY", key),
        ca == null ? null : path("KVS_TLS_CA", ca), TLS_NAMES);
  }

  private static java.nio.file.Path path(String name, String raw) {
    try {
      return java.nio.file.Path.of(raw);
    } catch (java.nio.file.InvalidPathException e) {
      throw new IllegalArgumentException(name + " is not a valid path: '" + raw + "'", e);
    }
  }

  private int positiveInt(String name, int fallback) {
    Integer value = positiveInt(name);
    return value == null ? fallback : value;
  }

  /** The core's timing settings. */
  NodeSettings settings() {
    return NodeSettings.fromEnvironment(env);
  }

  private String required(String name, String meaning) {
    String value = optional(name, null);
    if (value == null) {
      throw new IllegalArgumentException(name + " is required: " + meaning);
    }
    return value;
  }

  private String optional(String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value.trim();
  }

  private static List<String> addresses(String name, String raw) {
    List<String> result = new ArrayList<>();
    for (String part : raw.split(",", -1)) {
      String a = part.trim();
      if (!Addresses.valid(a)) {
        throw new IllegalArgumentException(name + " entry '" + a + "' must look like IP:PORT");
      }
      if (!result.contains(a)) {
        result.add(a);
      }
    }
    return result;
  }

  private Integer positiveInt(String name) {
    String raw = optional(name, null);
    if (raw == null) {
      return null;
    }
    long value = parsePositive(name, raw);
    if (value > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(name + " must be a positive integer, got '" + raw + "'");
    }
    return (int) value;
  }

  private long positiveLong(String name, long fallback) {
    String raw = optional(name, null);
    return raw == null ? fallback : parsePositive(name, raw);
  }

  private static long parsePositive(String name, String raw) {
    try {
      long value = Long.parseLong(raw);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, got '" + raw + "'");
  }
}
