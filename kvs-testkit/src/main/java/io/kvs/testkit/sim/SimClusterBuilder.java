package io.kvs.testkit.sim;

import io.kvs.core.NodeSettings;

/** Options of a {@link SimCluster}. */
public final class SimClusterBuilder {
  private final long seed;
  private int nodes = 6;
  private Integer shards = 2;
  private NodeSettings settings = NodeSettings.defaults();

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

  public SimCluster build() {
    return new SimCluster(seed, nodes, shards, settings);
  }
}
