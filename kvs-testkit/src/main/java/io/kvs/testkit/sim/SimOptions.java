package io.kvs.testkit.sim;

import java.util.SplittableRandom;

/**
 * Every option of one simulation run, all derived from its seed (printed first, so a run is
 * reproduced from its number alone).
 */
public record SimOptions(long seed, int nodes, Integer shards, int sessions, int keys, long safetyMs,
                         long livenessMs, double lossRate, double duplicateRate, long maxDelayMs,
                         boolean partitions, boolean crashes, boolean membershipChanges, boolean durable) {
  /** Options chosen from {@code seed}, all faults possible. */
  public static SimOptions fromSeed(long seed) {
    SplittableRandom r = new SplittableRandom(seed ^ 0x5DEECE66DL);
    int nodes = 4 + r.nextInt(5);
    Integer shards = r.nextInt(5) == 0 ? null : 1 + r.nextInt(nodes / 2);
    return new SimOptions(seed, nodes, shards, 2 + r.nextInt(5), 3 + r.nextInt(10),
        20_000 + r.nextLong(40_000), 60_000,
        r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.2, r.nextInt(3) == 0 ? 0 : r.nextDouble() * 0.1,
        1 + r.nextLong(50), r.nextInt(4) != 0, r.nextInt(4) != 0, r.nextInt(3) != 0, false);
  }

  /**
   * The options of {@link #fromSeed}, with a data directory on every node (fsync
   * {@code always}) and the disk faults: power loss of a node, of a whole shard or of the whole
   * cluster, torn records and flipped bits.
   */
  public static SimOptions durableFromSeed(long seed) {
    SimOptions o = fromSeed(seed);
    return new SimOptions(o.seed, o.nodes, o.shards, o.sessions, o.keys, o.safetyMs, o.livenessMs, o.lossRate,
        o.duplicateRate, o.maxDelayMs, o.partitions, true, o.membershipChanges, true);
  }

  @Override
  public String toString() {
    return String.format("seed=%d nodes=%d shards=%s sessions=%d keys=%d safety=%dms loss=%.3f dup=%.3f "
        + "delay<=%dms partitions=%b crashes=%b membership=%b durable=%b", seed, nodes, shards, sessions, keys,
        safetyMs, lossRate, duplicateRate, maxDelayMs, partitions, crashes, membershipChanges, durable);
  }
}
