package io.kvs.bench;

import java.util.List;

/**
 * One workload of a run: what the load asks for, where it runs, and the target its row of the
 * table must meet, if any.
 *
 * @param figure the row's name in the results
 * @param getRatio the share of GETs, 0..1
 * @param nodes nodes of the in-process cluster
 * @param shards shards of that cluster; null for one replicated shard
 * @param concurrency concurrent sessions per side
 * @param targetRatio the least kvs/baseline ratio of 2xx ops/s the row must reach; null for none
 * @param maxP99Ms the greatest kvs p99 latency the row allows; null for none
 */
record Workload(String figure, double getRatio, int nodes, Integer shards, int concurrency, Double targetRatio,
                Double maxP99Ms) {

  /** The workloads {@code o} asks for: the three rows of the table, or the one its flags describe. */
  static List<Workload> of(BenchOptions o) {
    if ("table".equals(o.scenario)) {
      return List.of(
          new Workload("GET, key held by the contacted node (1 node, 1 shard, C=32)", 1.0, 1, null, 32, 0.60, null),
          new Workload("PUT, acknowledged after its shard's replicas stored it (3-node shard, C=32)", 0.0, 3, null, 32,
              0.30, null),
          new Workload("6 nodes, 2 shards, 50/50 GET/PUT over all nodes (C=64)", 0.5, 6, 2, 64, 0.25, 20.0));
    }
    String where = o.targets.isEmpty()
        ? o.nodes + (o.nodes == 1 ? " node" : " nodes") + (o.shards == null ? "" : ", " + o.shards + " shards")
        : o.targets.size() + " target" + (o.targets.size() == 1 ? "" : "s");
    return List.of(new Workload(BenchResult.mixName(o.getRatio) + ", " + where + ", C=" + o.concurrency,
        o.getRatio, o.nodes, o.shards, o.concurrency, null, null));
  }
}
