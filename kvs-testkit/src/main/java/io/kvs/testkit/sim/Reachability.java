package io.kvs.testkit.sim;

import java.util.ArrayList;
import java.util.List;

/**
 * Which nodes a session without an address talks to: the running nodes of the largest group
 * in which every pair is connected (through the group) by links open both ways. A node cut
 * off by a partition is outside it, so a session never lands on it; when two groups are
 * equally large, the one holding the earliest-started node wins, so the choice is
 * deterministic.
 */
final class Reachability {
  private Reachability() {}

  /** The chosen group of {@code live} (in start order), in start order. */
  static List<String> largestGroup(List<String> live, SimNetwork network) {
    List<String> best = List.of();
    List<String> unvisited = new ArrayList<>(live);
    while (!unvisited.isEmpty()) {
      List<String> group = groupOf(unvisited.get(0), unvisited, network);
      unvisited.removeAll(group);
      if (group.size() > best.size()) {
        best = group;
      }
    }
    List<String> ordered = new ArrayList<>(live);
    ordered.retainAll(best);
    return ordered;
  }

  /** Every node of {@code candidates} connected to {@code start}, found breadth first. */
  private static List<String> groupOf(String start, List<String> candidates, SimNetwork network) {
    List<String> group = new ArrayList<>(List.of(start));
    for (int i = 0; i < group.size(); i++) {
      String a = group.get(i);
      for (String b : candidates) {
        if (!group.contains(b) && network.canReach(a, b) && network.canReach(b, a)) {
          group.add(b);
        }
      }
    }
    return group;
  }
}
