package io.kvs.core;

import java.util.List;
import java.util.OptionalInt;

/**
 * What one node knows of the cluster and of its own copy, at one moment: the input of a status
 * page. Peers' states are this node's opinion (from its failure detector), not a consensus.
 *
 * @param address this node's address
 * @param incarnation this run of the node
 * @param epoch the placement epoch
 * @param shardCount shards of the current placement
 * @param shard the shard this node is a member of, if any
 * @param caughtUp whether this node holds its shard's data and serves it
 * @param liveKeys live keys stored here
 * @param tombstones deleted keys whose tombstone is still kept here
 * @param digest a summary of every version stored here; two replicas of a shard holding the
 *     same versions have the same digest
 * @param lastAntiEntropyAgoMs time since this node last compared its copy with a peer, or -1
 *     if it never did
 * @param reshard a sentence on a reshard this node coordinates or takes part in, or null
 * @param members every address the cluster has a record of, sorted
 */
public record NodeStatus(String address, String incarnation, long epoch, int shardCount, OptionalInt shard,
                         boolean caughtUp, long liveKeys, long tombstones, long digest,
                         long lastAntiEntropyAgoMs, String reshard, List<Member> members) {
  /** How this node sees a member. */
  public enum MemberState {
    /** In the view and heard from recently (or this node itself). */
    ALIVE,
    /** In the view, but silent for longer than {@code suspectAfterMs}, or said goodbye. */
    SUSPECT,
    /** Removed from the view by failure detection; it comes back when heard from again. */
    DOWN,
    /** Removed by a view delete. */
    LEFT
  }

  /**
   * One member as this node sees it.
   *
   * @param shard its shard in the current placement, or -1
   * @param silentMs time since this node last heard from it directly, or -1 if never (0 for itself)
   */
  public record Member(String address, MemberState state, int shard, long silentMs) {}

  /** Copies {@code members}. */
  public NodeStatus {
    members = List.copyOf(members);
  }
}
