package io.kvs.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.api.spi.JsonValues;
import io.kvs.core.Addresses;
import io.kvs.core.NodeSettings;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link KvsServer}. Only {@link #address} and {@link #view} are
 * required; everything else has a default suited to a LAN.
 */
public final class KvsServerBuilder {
  /** Default limit of a client request body: 1 MiB. */
  public static final long DEFAULT_MAX_BODY_BYTES = 1L << 20;
  /** Default limit of a node-to-node frame: 256 MiB (shard transfers travel in one frame). */
  public static final long DEFAULT_MAX_FRAME_BYTES = 256L << 20;

  String address;
  List<String> view;
  Integer shardCount;
  NodeSettings settings = NodeSettings.defaults();
  String listenHost;
  long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  long maxFrameBytes = DEFAULT_MAX_FRAME_BYTES;
  /** Plain key requests skip Javalin ({@link KvsFastPath}); off with -Dkvs.kv.fastPath=false, or in tests. */
  boolean kvFastPath = !"false".equals(System.getProperty("kvs.kv.fastPath"));
  String clusterSecret;
  java.nio.file.Path dataDir;
  io.kvs.core.DurabilitySettings durability = io.kvs.core.DurabilitySettings.defaults();
  ObjectMapper objectMapper = JsonValues.defaultMapper();

  KvsServerBuilder() {}

  /** The address other nodes reach this node at ({@code IP:PORT}); its port is the HTTP port. */
  public KvsServerBuilder address(String address) {
    this.address = address;
    return this;
  }

  /** The initial view; must contain {@link #address}. */
  public KvsServerBuilder view(List<String> view) {
    this.view = List.copyOf(view);
    return this;
  }

  /** The shard count of a new cluster; null (the default) starts without one. */
  public KvsServerBuilder shardCount(Integer shardCount) {
    this.shardCount = shardCount;
    return this;
  }

  /** Timing settings; defaults to {@link NodeSettings#defaults()}. */
  public KvsServerBuilder settings(NodeSettings settings) {
    this.settings = Objects.requireNonNull(settings);
    return this;
  }

  /** The interface to listen on; defaults to the host of {@link #address}. Use 0.0.0.0 for all. */
  public KvsServerBuilder listenHost(String listenHost) {
    this.listenHost = listenHost;
    return this;
  }

  /** Largest client request body accepted; larger ones get 413. */
  public KvsServerBuilder maxBodyBytes(long maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
    return this;
  }

  /** Largest node-to-node frame accepted. */
  public KvsServerBuilder maxFrameBytes(long maxFrameBytes) {
    this.maxFrameBytes = maxFrameBytes;
    return this;
  }

  /** A shared secret every node-to-node request must carry; null (the default) for none. */
  public KvsServerBuilder clusterSecret(String clusterSecret) {
    this.clusterSecret = clusterSecret == null || clusterSecret.isEmpty() ? null : clusterSecret;
    return this;
  }

  /**
   * The node's data directory: with one, the node logs every change there, comes back from it
   * after a restart or power loss, and acknowledges writes as {@link #durability} says. Without
   * one (the default) it keeps everything in memory. Each node needs its own directory.
   */
  public KvsServerBuilder dataDir(java.nio.file.Path dataDir) {
    this.dataDir = dataDir;
    return this;
  }

  /** The fsync policy and how many replicas a write needs; defaults to fsync always, one replica. */
  public KvsServerBuilder durability(io.kvs.core.DurabilitySettings durability) {
    this.durability = Objects.requireNonNull(durability);
    return this;
  }

  /**
   * The mapper of {@link KvsServer#openSession() sessions'} values; defaults to Jackson's
   * defaults plus java.time support ({@link JsonValues#defaultMapper()}). The HTTP contract's
   * own JSON does not use it.
   */
  public KvsServerBuilder objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "the ObjectMapper must not be null");
    return this;
  }

  /**
   * Builds the node, starts listening and starts the node.
   *
   * @throws IllegalArgumentException with one clear sentence when the configuration is wrong
   * @throws IllegalStateException when the server cannot listen on its port
   */
  public KvsServer start() {
    if (!Addresses.valid(address)) {
      throw new IllegalArgumentException("the node address must look like IP:PORT");
    }
    if (maxBodyBytes < 1 || maxFrameBytes < 1) {
      throw new IllegalArgumentException("body and frame limits must be positive");
    }
    return NodeRuntime.start(this);
  }

  /** The listen host: the explicit one, else the host of the address. */
  String effectiveListenHost() {
    return listenHost != null ? listenHost : address.substring(0, address.lastIndexOf(':'));
  }

  /** The HTTP port, taken from the address. */
  int port() {
    return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
  }
}
