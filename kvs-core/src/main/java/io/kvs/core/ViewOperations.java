package io.kvs.core;

/** View and shard-membership requests: each is one record change, gossiped to everyone. */
final class ViewOperations {
  private ViewOperations() {}

  static Reply apply(Membership membership, Request request) {
    ClusterState state = membership.state();
    if (request instanceof Request.AddToView add) {
      MemberRecord r = state.records.get(add.address());
      boolean present = r != null && r.status() == MemberRecord.Status.UP;
      // Restamped even when present: a delete this node has not heard of yet must not win
      // over an add made after it.
      membership.update(add.address(), MemberRecord.Status.UP, Membership.formerShard(state, r),
          r == null ? "" : r.incarnation());
      return new Reply.Ok(present ? Reply.Done.VIEW_ALREADY_PRESENT : Reply.Done.VIEW_ADDED);
    }
    if (request instanceof Request.RemoveFromView remove) {
      MemberRecord r = state.records.get(remove.address());
      if (r == null || r.status() != MemberRecord.Status.UP) {
        return new Reply.Failed(KvsError.NO_SUCH_REPLICA);
      }
      membership.update(remove.address(), MemberRecord.Status.LEFT, r.shard(), r.incarnation());
      return new Reply.Ok(Reply.Done.VIEW_DELETED);
    }
    Request.AddMember add = (Request.AddMember) request;
    if (!state.shardMap().hasShard(add.shard())) {
      return new Reply.Failed(KvsError.NO_SUCH_SHARD);
    }
    MemberRecord r = state.records.get(add.address());
    if (r == null || r.status() != MemberRecord.Status.UP) {
      return new Reply.Failed(KvsError.NO_SUCH_REPLICA);
    }
    if (state.shardOf(r) != add.shard()) {
      membership.update(add.address(), MemberRecord.Status.UP, add.shard(), r.incarnation());
    }
    return new Reply.Ok(Reply.Done.MEMBER_ADDED);
  }
}
