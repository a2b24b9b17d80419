package io.kvs.testkit.check;

import io.kvs.core.Node;
import io.kvs.core.StoredValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;

/** G2: once healed and quiet, all members of each shard store the same versions. */
public final class ConvergenceChecker {
  public static final String NAME = "G2 convergence";

  public List<Violation> check(Collection<Node> live) {
    List<Violation> found = new ArrayList<>();
    for (Node a : live) {
      for (Node b : live) {
        if (a.address().compareTo(b.address()) < 0 && a.shardId().isPresent()
            && a.shardId().equals(b.shardId())) {
          String diff = firstDifference(a.storedVersions(), b.storedVersions());
          if (diff != null) {
            found.add(new Violation(NAME, "shard " + a.shardId().getAsInt() + " members " + a.address()
                + " and " + b.address() + " differ: " + diff, List.of()));
          }
        }
      }
    }
    return found;
  }

  static String firstDifference(SortedMap<String, StoredValue> a, SortedMap<String, StoredValue> b) {
    for (Map.Entry<String, StoredValue> e : a.entrySet()) {
      StoredValue other = b.get(e.getKey());
      if (!same(e.getValue(), other)) {
        return "key " + e.getKey() + ": " + describe(e.getValue()) + " vs " + describe(other)
            + (other != null && !java.util.Arrays.equals(e.getValue().value(), other.value()) ? " (other bytes)" : "");
      }
    }
    for (String key : b.keySet()) {
      if (!a.containsKey(key)) {
        return "key " + key + ": missing vs " + describe(b.get(key));
      }
    }
    return null;
  }

  /** The same version with the same bytes: a replica whose copy of a value was damaged differs. */
  private static boolean same(StoredValue x, StoredValue y) {
    return x != null && y != null && x.lamport() == y.lamport() && Objects.equals(x.writer(), y.writer())
        && java.util.Arrays.equals(x.value(), y.value());
  }

  private static String describe(StoredValue v) {
    return v == null ? "missing" : (v.isTombstone() ? "tombstone" : "value") + "@" + v.lamport() + "/" + v.writer();
  }
}
