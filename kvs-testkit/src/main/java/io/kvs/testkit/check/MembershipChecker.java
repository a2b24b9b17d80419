package io.kvs.testkit.check;

import io.kvs.core.Node;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * G6: views converge to exactly the live nodes: no live node stays removed, no crashed node
 * stays in a view, and every live node that was in a shard serves it.
 */
public final class MembershipChecker {
  public static final String NAME = "G6 membership";

  /** {@code expected} is the set of addresses that should be in every view. */
  public List<Violation> check(Collection<Node> live, Collection<String> expected) {
    List<Violation> found = new ArrayList<>();
    TreeSet<String> want = new TreeSet<>(expected);
    for (Node n : live) {
      if (!new TreeSet<>(n.view()).equals(want)) {
        found.add(new Violation(NAME, n.address() + " has view " + n.view() + ", expected " + want, List.of()));
      }
      if (n.shardId().isPresent() && !n.caughtUp()) {
        found.add(new Violation(NAME, n.address() + " is in shard " + n.shardId().getAsInt()
            + " but has not caught up", List.of()));
      }
    }
    return found;
  }
}
