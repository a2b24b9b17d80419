package io.kvs.core;

import java.util.Map;

/**
 * What a node has done since it started and how big its state is, as one immutable snapshot
 * ({@link Node#stats()}): for metrics. Counts only grow during a run; a restarted node starts
 * from zero (Prometheus takes that as a counter reset).
 *
 * @param sizes this node's state now
 * @param failures answers to client requests that were failures, by error (absent: none)
 * @param keyRequests key-value requests (GET, PUT, DELETE) submitted to this node
 * @param requestContextEntries vector clock entries of those requests' causal metadata, summed:
 *     divided by {@code keyRequests}, the mean size of the metadata clients carry
 * @param replication writes this node coordinated, sent to their shard peers
 * @param repair anti-entropy: the exchanges that keep replicas equal
 * @param suspicions times a peer became suspected (silent for {@code suspectAfterMs}, or said goodbye)
 * @param removals peers this node's failure detection marked down
 */
public record NodeStats(Sizes sizes, Map<KvsError, Long> failures, long keyRequests, long requestContextEntries,
                        Replication replication, Repair repair, long suspicions, long removals) {

  /** Failures answered with {@code error} so far. */
  public long failures(KvsError error) {
    return failures.getOrDefault(error, 0L);
  }

  /**
   * The node's state now.
   *
   * @param shard the shard this node's replica holds, or -1 for none
   * @param liveKeys keys stored and not deleted
   * @param tombstones deleted keys whose tombstone is still kept (until every replica holds it)
   * @param dependencyEntries vector clock entries of the replica's dependency summary: the
   *     causal metadata it merges into what it answers
   * @param logBytes bytes of the write-ahead log since the last snapshot (0 without a data directory)
   * @param snapshotBytes bytes of the last snapshot (0 without a data directory, or before the first)
   */
  public record Sizes(int shard, long liveKeys, long tombstones, long dependencyEntries, long logBytes,
                      long snapshotBytes) {}

  /**
   * Replication of the writes coordinated here.
   *
   * @param copies copies of a write sent to a shard peer, first sends only
   * @param acks copies a peer acknowledged: completed round trips
   * @param retries copies sent again to a peer that had not acknowledged
   * @param timeouts writes that reached the replication timeout with a peer still missing
   */
  public record Replication(long copies, long acks, long retries, long timeouts) {}

  /**
   * Anti-entropy.
   *
   * @param rounds digest exchanges started with a peer (periodic rounds, catch-up and restart syncs)
   * @param syncRepairedKeys versions an exchange's answer stored here (newer than what was held)
   * @param pulls pulls of missing writes sent to peers (a request waited for dependencies)
   * @param pullRepairedKeys versions a pull's answer stored here
   */
  public record Repair(long rounds, long syncRepairedKeys, long pulls, long pullRepairedKeys) {}
}
