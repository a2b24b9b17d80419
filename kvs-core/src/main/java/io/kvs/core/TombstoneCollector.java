package io.kvs.core;

import java.util.HashMap;
import java.util.Map;

/**
 * Garbage-collects tombstones without ever resurrecting a key. A tombstone goes only when
 * (1) every replica of the shard that could still hold an older version, members marked down
 * included (a cut-off replica comes back with its data), has reported in an anti-entropy
 * answer that it applied the delete's write, and (2) it is older than the grace period, so no
 * older write still in flight can arrive after it. A late copy of a write already applied
 * here is recognised by its dot and not applied again.
 */
final class TombstoneCollector {
  private final NodeContext node;
  private final Replica replica;
  private final Membership membership;
  private final Map<String, DotSet> reportedDots = new HashMap<>();

  TombstoneCollector(NodeContext node, Replica replica, Membership membership) {
    this.node = node;
    this.replica = replica;
    this.membership = membership;
  }

  /** {@code peer} reported the writes it has applied, in an anti-entropy answer. */
  void reported(String peer, DotSet dots) {
    reportedDots.put(peer, dots);
  }

  void reset() {
    reportedDots.clear();
  }

  void collect() {
    int gone = replica.collectTombstones(node.settings.tombstoneGraceMs(), this::heldEverywhere);
    if (gone > 0) {
      node.log.debug("{} collected {} tombstones of shard {}", node.address, gone, replica.shard());
    }
  }

  private boolean heldEverywhere(String writer, long counter) {
    ClusterState state = membership.state();
    for (MemberRecord r : state.records.values()) {
      boolean replicaOfShard = r.epoch() == state.epoch && r.shard() == replica.shard()
          && r.status() != MemberRecord.Status.LEFT;
      if (!state.sharded() && r.status() != MemberRecord.Status.LEFT) {
        replicaOfShard = true;
      }
      if (replicaOfShard && !r.address().equals(node.address)) {
        DotSet dots = reportedDots.get(r.address());
        if (dots == null || !dots.contains(writer, counter)) {
          return false;
        }
      }
    }
    return true;
  }
}
