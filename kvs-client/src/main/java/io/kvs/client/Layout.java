package io.kvs.client;

import io.kvs.core.ShardMap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the client knows of the cluster: the view and the members of each shard, as the
 * contract's endpoints reported them. Immutable. The shard of a key is kvs-core's own
 * placement ({@link ShardMap#shardForKey}), so the client never hashes keys differently.
 */
final class Layout {
  private final List<String> view;
  private final List<List<String>> members;
  private final ShardMap map;

  /**
   * @param members members of shards {@code 0 .. n-1}; empty when unknown
   */
  Layout(List<String> view, List<List<String>> members) {
    this.view = List.copyOf(view);
    this.members = members.stream().map(List::copyOf).toList();
    this.map = placement(this.members);
  }

  /** A layout of the seeds only, before anything was learned. */
  static Layout ofSeeds(List<String> seeds) {
    return new Layout(seeds, List.of());
  }

  private static ShardMap placement(List<List<String>> members) {
    if (members.isEmpty()) {
      return null;
    }
    try {
      return new ShardMap(0, 0, members);
    } catch (IllegalArgumentException e) {
      // a node listed in two shards: answers taken mid-reshard; route without shards until the next refresh
      return null;
    }
  }

  List<String> view() {
    return view;
  }

  /** The shard of {@code key}, or -1 when the layout is unknown. */
  int shardOf(String key) {
    return map == null ? -1 : map.shardForKey(key);
  }

  /** The members of {@code shard}; empty when unknown. */
  List<String> members(int shard) {
    return shard >= 0 && shard < members.size() ? members.get(shard) : List.of();
  }

  /** Every node known: the view, then shard members not (yet) in it. */
  List<String> nodes() {
    Set<String> all = new LinkedHashSet<>(view);
    members.forEach(all::addAll);
    return new ArrayList<>(all);
  }

  int shardCount() {
    return members.size();
  }

  boolean sameAs(Layout other) {
    return view.equals(other.view) && members.equals(other.members);
  }

  @Override
  public String toString() {
    return "view " + view + ", shards " + members;
  }
}
