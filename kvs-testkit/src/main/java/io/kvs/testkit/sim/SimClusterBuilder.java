package io.kvs.testkit.sim;

import io.kvs.core.NodeSettings;
import io.kvs.core.Storage;
import java.util.function.Function;

/** Options of a {@link SimCluster}. */
public final class SimClusterBuilder {
  private final long seed;
  private int nodes = 6;
  private Integer shards = 2;
  private NodeSettings settings = NodeSettings.defaults();
  private Function<String, Storage> storage = address -> Storage.inMemory();
  io.kvs.core.DurabilitySettings durability;
  boolean lyingSync;
  boolean recoverySkipsChecksums;
  boolean recordHistory = true;
  com.fasterxml.jackson.databind.ObjectMapper objectMapper = new com.fasterxml.jackson.databind.ObjectMapper();

  SimClusterBuilder(long seed) {
    this.seed = seed;
  }

  /** Number of nodes in the initial view (default 6). */
  public SimClusterBuilder nodes(int nodes) {
    this.nodes = nodes;
    return this;
  }

  /** Shard count every node starts with (default 2); null starts them without one. */
  public SimClusterBuilder shards(Integer shards) {
    this.shards = shards;
    return this;
  }

  public SimClusterBuilder settings(NodeSettings settings) {
    this.settings = settings;
    return this;
  }

  /** Gives each node (by address, on every start) its storage; defaults to heap storage. */
  public SimClusterBuilder storage(Function<String, Storage> storage) {
    this.storage = storage;
    return this;
  }

  /**
   * Gives every node a {@link SimDisk} data directory that outlives its crashes, with these
   * settings (fsync policy and replica minimum). Without it nodes keep everything in memory.
   */
  public SimClusterBuilder dataDirectories(io.kvs.core.DurabilitySettings durability) {
    this.durability = durability;
    return this;
  }

  /** Plants a bug for checker tests: every disk's fsync reports success without syncing. */
  public SimClusterBuilder plantLyingFsync() {
    this.lyingSync = true;
    return this;
  }

  /** Plants a bug for checker tests: recovery trusts records without comparing checksums. */
  public SimClusterBuilder plantRecoveryThatSkipsChecksums() {
    this.recoverySkipsChecksums = true;
    return this;
  }

  /**
   * Whether sessions record their operations into {@link SimCluster#history()} (default true).
   * Off saves memory in long runs; {@link SimCluster#check()} then checks only the nodes.
   */
  public SimClusterBuilder recordHistory(boolean recordHistory) {
    this.recordHistory = recordHistory;
    return this;
  }

  /** The mapper sessions write and read values with; defaults to a plain {@code new ObjectMapper()}. */
  public SimClusterBuilder objectMapper(com.fasterxml.jackson.databind.ObjectMapper objectMapper) {
    this.objectMapper = java.util.Objects.requireNonNull(objectMapper, "the object mapper must not be null");
    return this;
  }

  public SimCluster build() {
    return new SimCluster(seed, nodes, shards, settings, storage, this);
  }
}
