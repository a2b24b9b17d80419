package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/** Assembles a {@link NodeStatus} from the node's parts; read-only. */
final class StatusReport {
  private StatusReport() {}

  /**
   * @param reshard a sentence on a reshard in progress here, or null
   */
  static NodeStatus of(NodeContext node, Membership membership, Replica replica, AntiEntropy antiEntropy,
                       String reshard) {
    ClusterState s = membership.state();
    int shard = s.shardOf(node.address);
    long lastRound = antiEntropy.lastRoundAtMs();
    return new NodeStatus(node.address, node.incarnation, s.epoch, s.shardCount,
        shard < 0 ? OptionalInt.empty() : OptionalInt.of(shard), replica.caughtUp(), replica.liveKeys(),
        replica.tombstones(), replica.digestSummary(), lastRound < 0 ? -1 : node.now() - lastRound,
        reshard, members(node, membership, s));
  }

  private static List<NodeStatus.Member> members(NodeContext node, Membership membership, ClusterState s) {
    List<NodeStatus.Member> members = new ArrayList<>();
    for (MemberRecord r : s.records.values()) {
      members.add(new NodeStatus.Member(r.address(), state(node, membership, r), placedShard(s, r),
          membership.silentMs(r.address())));
    }
    return members;
  }

  private static NodeStatus.MemberState state(NodeContext node, Membership membership, MemberRecord r) {
    return switch (r.status()) {
      case DOWN -> NodeStatus.MemberState.DOWN;
      case LEFT -> NodeStatus.MemberState.LEFT;
      case UP -> r.address().equals(node.address) || !membership.suspected(r.address())
          ? NodeStatus.MemberState.ALIVE : NodeStatus.MemberState.SUSPECT;
    };
  }

  /** The shard a record places its node in, whether or not the node is up; -1 for none. */
  private static int placedShard(ClusterState s, MemberRecord r) {
    if (!s.sharded()) {
      return r.status() == MemberRecord.Status.LEFT ? -1 : 0;
    }
    return r.epoch() == s.epoch ? r.shard() : -1;
  }
}
