package io.kvs.testkit.check;

import io.kvs.core.Node;
import io.kvs.core.ShardMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * G5: every node agrees on the shard map, every shard has at least two members, and every
 * key a node stores belongs to that node's shard under the map.
 */
public final class PlacementChecker {
  public static final String NAME = "G5 placement";

  public List<Violation> check(Collection<Node> live) {
    List<Violation> found = new ArrayList<>();
    ShardMap reference = null;
    for (Node n : live) {
      ShardMap map = n.shardMap();
      if (reference == null) {
        reference = map;
      } else if (!sameAssignment(reference, map)) {
        found.add(new Violation(NAME, n.address() + " reports " + map + " but another node " + reference, List.of()));
      }
      for (int s = 0; s < map.shardCount(); s++) {
        if (map.members(s).size() < 2 && live.size() >= 2 * map.shardCount()) {
          found.add(new Violation(NAME, "shard " + s + " has fewer than two members at " + n.address(), List.of()));
        }
      }
      if (n.shardId().isPresent()) {
        int shard = n.shardId().getAsInt();
        for (String key : n.storedVersions().keySet()) {
          if (map.shardForKey(key) != shard) {
            found.add(new Violation(NAME, n.address() + " (shard " + shard + ") stores " + key
                + " of shard " + map.shardForKey(key), List.of()));
            break;
          }
        }
      }
    }
    return found;
  }

  private static boolean sameAssignment(ShardMap a, ShardMap b) {
    if (a.epoch() != b.epoch() || a.shardCount() != b.shardCount()) {
      return false;
    }
    for (int s = 0; s < a.shardCount(); s++) {
      if (!a.members(s).equals(b.members(s))) {
        return false;
      }
    }
    return true;
  }
}
