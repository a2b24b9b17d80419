package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * An immutable, versioned assignment of nodes to shards {@code 0 .. shardCount-1}.
 *
 * <p>{@code epoch} names the key placement (it changes only when keys move, on reshard);
 * {@code version} counts membership revisions within the cluster's history.
 */
public final class ShardMap {
  private final long epoch;
  private final long version;
  private final List<List<String>> members;
  private final ConsistentRing ring;

  /**
   * A map of the given members per shard; each member list is sorted.
   *
   * @throws IllegalArgumentException when there are no shards or a node is in two shards
   */
  public ShardMap(long epoch, long version, List<List<String>> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("a shard map needs at least one shard");
    }
    List<List<String>> copy = new ArrayList<>();
    TreeSet<String> seen = new TreeSet<>();
    for (List<String> shard : members) {
      for (String node : shard) {
        if (!seen.add(node)) {
          throw new IllegalArgumentException("node " + node + " is in two shards");
        }
      }
      copy.add(List.copyOf(new TreeSet<>(shard)));
    }
    this.epoch = epoch;
    this.version = version;
    this.members = List.copyOf(copy);
    this.ring = RingCache.of(members.size());
  }

  /**
   * Deterministically assigns {@code view} to {@code shardCount} shards: the sorted view is
   * dealt round-robin, so with at least {@code 2 * shardCount} nodes every shard has two or
   * more members and shard sizes differ by at most one.
   *
   * @throws IllegalArgumentException when the view has fewer than {@code 2 * shardCount} nodes
   */
  public static ShardMap assign(long epoch, long version, List<String> view, int shardCount) {
    TreeSet<String> distinct = new TreeSet<>(view);
    if (shardCount < 1 || distinct.size() < 2 * shardCount) {
      throw new IllegalArgumentException("not enough nodes for " + shardCount + " shards of two");
    }
    List<List<String>> shards = new ArrayList<>();
    for (int i = 0; i < shardCount; i++) {
      shards.add(new ArrayList<>());
    }
    int i = 0;
    for (String node : distinct) {
      shards.get(i++ % shardCount).add(node);
    }
    return new ShardMap(epoch, version, shards);
  }

  public long epoch() {
    return epoch;
  }

  public long version() {
    return version;
  }

  public int shardCount() {
    return members.size();
  }

  /** Sorted members of {@code shard}; empty for an unknown shard id. */
  public List<String> members(int shard) {
    return shard >= 0 && shard < members.size() ? members.get(shard) : List.of();
  }

  /** True when {@code shard} is a valid shard id of this map. */
  public boolean hasShard(int shard) {
    return shard >= 0 && shard < members.size();
  }

  /** The shard {@code node} is a member of, if any. */
  public OptionalInt shardOf(String node) {
    for (int s = 0; s < members.size(); s++) {
      if (members.get(s).contains(node)) {
        return OptionalInt.of(s);
      }
    }
    return OptionalInt.empty();
  }

  /** The shard that owns {@code key}. */
  public int shardForKey(String key) {
    return ring.shardFor(key);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ShardMap other && epoch == other.epoch && version == other.version
        && members.equals(other.members);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, version, members);
  }

  @Override
  public String toString() {
    return "ShardMap{epoch=" + epoch + ", version=" + version + ", " + members + "}";
  }
}
