package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The replicated membership: placement epoch, shard count and one {@link MemberRecord} per
 * address. It is a join-semilattice (higher epoch wins, then newer record per address), so
 * gossip in any order, with loss and duplication, converges.
 *
 * <p>Epoch 0 is the unsharded cluster (started without SHARD_COUNT): every node in the view is
 * in shard 0. From epoch 1 on, shards are explicit; a record stamped in an older epoch than
 * the state's has no shard.
 */
final class ClusterState {
  final long epoch;
  final int shardCount;
  final TreeMap<String, MemberRecord> records;
  /** Computed on first use: a state never changes, and every request asks for its map. */
  private ShardMap shardMap;

  ClusterState(long epoch, int shardCount, Map<String, MemberRecord> records) {
    this.epoch = epoch;
    this.shardCount = shardCount;
    this.records = new TreeMap<>(records);
  }

  /** The state every node of a new cluster computes alike from its environment. */
  static ClusterState initial(List<String> view, Integer shardCount, String self, String incarnation) {
    long epoch = shardCount == null ? 0 : 1;
    int count = shardCount == null ? 1 : shardCount;
    TreeMap<String, MemberRecord> records = new TreeMap<>();
    ShardMap map = shardCount == null ? null
        : alone(view, shardCount) ? new ShardMap(epoch, 0, List.of(List.copyOf(view)))
        : ShardMap.assign(epoch, 0, view, count);
    for (String address : view) {
      int shard = map == null ? 0 : map.shardOf(address).orElse(-1);
      boolean me = address.equals(self);
      records.put(address, new MemberRecord(address, MemberRecord.Status.UP, shard,
          me ? incarnation : "", epoch, me ? 1 : 0, me ? self : ""));
    }
    return new ClusterState(epoch, count, records);
  }

  /**
   * True for one shard on a view of one node, the only start with fewer than two members per
   * shard (a first run); {@link ShardMap#assign} and reshard keep refusing it.
   */
  static boolean alone(List<String> view, Integer shardCount) {
    return shardCount != null && shardCount == 1 && view.size() == 1;
  }

  boolean sharded() {
    return epoch > 0;
  }

  /** The shard a record places its node in under this state, or -1. */
  int shardOf(MemberRecord r) {
    if (r == null || r.status() != MemberRecord.Status.UP) {
      return -1;
    }
    if (!sharded()) {
      return 0;
    }
    return r.epoch() == epoch ? r.shard() : -1;
  }

  int shardOf(String address) {
    return shardOf(records.get(address));
  }

  /** Sorted addresses in the view. */
  List<String> view() {
    List<String> view = new ArrayList<>();
    records.values().forEach(r -> {
      if (r.status() == MemberRecord.Status.UP) {
        view.add(r.address());
      }
    });
    return view;
  }

  ShardMap shardMap() {
    if (shardMap == null) {
      shardMap = computeShardMap();
    }
    return shardMap;
  }

  private ShardMap computeShardMap() {
    List<List<String>> members = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      members.add(new ArrayList<>());
    }
    long version = 0;
    for (MemberRecord r : records.values()) {
      int shard = shardOf(r);
      if (shard >= 0 && shard < shardCount) {
        members.get(shard).add(r.address());
      }
      version = Math.max(version, r.stamp());
    }
    return new ShardMap(epoch, version, members);
  }

  long maxStamp() {
    long max = 0;
    for (MemberRecord r : records.values()) {
      max = Math.max(max, r.stamp());
    }
    return max;
  }

  /** The join of this state and {@code other}. */
  ClusterState merge(ClusterState other) {
    TreeMap<String, MemberRecord> merged = new TreeMap<>(records);
    other.records.forEach((address, r) -> {
      if (r.newerThan(merged.get(address))) {
        merged.put(address, r);
      }
    });
    boolean theirs = other.epoch > epoch;
    return new ClusterState(theirs ? other.epoch : epoch, theirs ? other.shardCount : shardCount, merged);
  }

  ClusterState with(MemberRecord record) {
    TreeMap<String, MemberRecord> copy = new TreeMap<>(records);
    copy.put(record.address(), record);
    return new ClusterState(epoch, shardCount, copy);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClusterState s && s.epoch == epoch && s.shardCount == shardCount
        && s.records.equals(records);
  }

  @Override
  public int hashCode() {
    return records.hashCode() * 31 + Long.hashCode(epoch);
  }

  @Override
  public String toString() {
    return "ClusterState{epoch=" + epoch + ", shards=" + shardCount + ", " + records.values() + "}";
  }
}
