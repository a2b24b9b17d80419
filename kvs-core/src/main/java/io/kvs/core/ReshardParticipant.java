package io.kvs.core;

import java.util.List;

/**
 * This node's side of a reshard ({@link Resharder.Participant}): prepare freezes writes and
 * hands over everything held; install adopts the new membership and keys; thaw resumes writes
 * when a reshard was abandoned (or after twice the reshard timeout without an install). The
 * freeze is logged, so a node restarted mid-reshard stays frozen.
 */
final class ReshardParticipant implements Resharder.Participant {
  /** No reshard holds this node. */
  static final long NOT_FROZEN = -1;

  private final NodeContext node;
  private final Replica replica;
  private final Membership membership;
  private final LostWriters lostWriters;
  private final TombstoneCollector tombstones;
  private final Runnable retryParked;
  private StateLog log = StateLog.NONE;
  private long frozenBy = NOT_FROZEN;

  ReshardParticipant(NodeContext node, Replica replica, Membership membership, LostWriters lostWriters,
                     TombstoneCollector tombstones, Runnable retryParked) {
    this.node = node;
    this.replica = replica;
    this.membership = membership;
    this.lostWriters = lostWriters;
    this.tombstones = tombstones;
    this.retryParked = retryParked;
  }

  /** Logs freezes to {@code log} from now on. */
  void logTo(StateLog log) {
    this.log = log;
  }

  /** Restores the freeze a recovered log recorded. */
  void recoverFrozen(long id) {
    frozenBy = id;
  }

  /** The reshard holding this node, or {@link #NOT_FROZEN}. */
  long frozenBy() {
    return frozenBy;
  }

  boolean frozen() {
    return frozenBy != NOT_FROZEN;
  }

  /** At start: a recovered freeze still ends by itself if no install comes. */
  void start() {
    if (frozen()) {
      long id = frozenBy;
      node.after(2 * node.settings.reshardTimeoutMs(), () -> thaw(id));
    }
  }

  @Override
  public List<Msg.Item> prepare(String coordinator, long id, long newEpoch) {
    if (frozen() && frozenBy != id || newEpoch <= membership.state().epoch) {
      // Serving another reshard, or this one's epoch is already taken: two reshards must
      // never both collect this node's data.
      return null;
    }
    if (frozenBy != id) {
      node.log.info("{} pauses writes for the reshard by {}", node.address, coordinator);
      frozenBy = id;
      log.frozen(id);
      node.after(2 * node.settings.reshardTimeoutMs(), () -> thaw(id));
    }
    return replica.items();
  }

  @Override
  public void install(ClusterState state, List<Msg.Item> items) {
    if (state.epoch >= replica.epoch()) {
      log.atomically(() -> installNow(state, items));
    }
  }

  private void installNow(ClusterState state, List<Msg.Item> items) {
    int shard = state.shardOf(node.address);
    if (state.epoch != replica.epoch() || shard != replica.shard()) {
      replica.reset(state.epoch, shard);
      lostWriters.reset();
      tombstones.reset();
    }
    items.forEach(i -> replica.apply(i.key(), i.value().withoutDot()));
    if (shard >= 0) {
      replica.markCaughtUp();
    }
    membership.adopt(state);
    frozenBy = NOT_FROZEN;
    log.frozen(NOT_FROZEN);
    retryParked.run();
  }

  @Override
  public void thaw(long id) {
    if (frozenBy == id) {
      node.log.info("{} resumes writes: the reshard did not install", node.address);
      frozenBy = NOT_FROZEN;
      log.frozen(NOT_FROZEN);
      retryParked.run();
    }
  }
}
