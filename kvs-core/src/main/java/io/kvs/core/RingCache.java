package io.kvs.core;

import java.util.concurrent.ConcurrentHashMap;

/** Rings are pure functions of the shard count; building one costs thousands of hashes. */
final class RingCache {
  private static final ConcurrentHashMap<Integer, ConsistentRing> RINGS = new ConcurrentHashMap<>();

  private RingCache() {}

  static ConsistentRing of(int shardCount) {
    return RINGS.computeIfAbsent(shardCount, ConsistentRing::new);
  }
}
