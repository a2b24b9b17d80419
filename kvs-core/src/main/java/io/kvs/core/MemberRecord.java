package io.kvs.core;

/**
 * What the cluster believes about one address. Records are merged last-writer-wins by
 * {@code (epoch, stamp, origin)}, so every node converges on the same record per address.
 *
 * @param shard the shard in {@code epoch}, or -1 for none
 * @param incarnation the run of the node this record was last told about ("" if unknown)
 */
record MemberRecord(String address, Status status, int shard, String incarnation,
                    long epoch, long stamp, String origin) {
  /** Whether the address takes part in the cluster. */
  enum Status {
    /** In the view. */
    UP,
    /** Removed by failure detection; re-added when heard from again. */
    DOWN,
    /** Removed by a view delete; re-added only when a new run of the node announces itself. */
    LEFT
  }

  boolean newerThan(MemberRecord other) {
    if (other == null) {
      return true;
    }
    if (epoch != other.epoch) {
      return epoch > other.epoch;
    }
    if (stamp != other.stamp) {
      return stamp > other.stamp;
    }
    if (!origin.equals(other.origin)) {
      return origin.compareTo(other.origin) > 0;
    }
    // Equal stamps with different content happen when a restarted node starts with the
    // stamp its previous run used; a total order keeps every node choosing the same record.
    if (!incarnation.equals(other.incarnation)) {
      return incarnation.compareTo(other.incarnation) > 0;
    }
    if (status != other.status) {
      return status.compareTo(other.status) > 0;
    }
    return shard > other.shard;
  }

  MemberRecord restamped(Status newStatus, int newShard, String newIncarnation,
                         long newEpoch, long newStamp, String newOrigin) {
    return new MemberRecord(address, newStatus, newShard, newIncarnation, newEpoch, newStamp, newOrigin);
  }
}
