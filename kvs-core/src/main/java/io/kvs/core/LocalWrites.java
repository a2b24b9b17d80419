package io.kvs.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Executes key-value requests on this node as a member of the key's shard, and replicates
 * writes. A write is acknowledged once every shard peer this node is not suspecting has
 * stored it, or when the replication timeout passes; until then it is re-sent to the peers
 * that have not answered, so one lost message does not leave a single copy.
 */
final class LocalWrites {
  private final class Pending {
    final Msg.Replicate msg;
    final Set<String> waitingFor;
    final Reply reply;
    final Consumer<Reply> onReply;
    final long deadline;
    /** Replicas holding the write: this one, then every peer that acknowledged it. */
    int holders = 1;

    Pending(Msg.Replicate msg, Set<String> waitingFor, Reply reply, Consumer<Reply> onReply) {
      this.msg = msg;
      this.waitingFor = waitingFor;
      this.reply = reply;
      this.onReply = onReply;
      this.deadline = node.now() + node.settings.replicationTimeoutMs();
    }
  }

  private final NodeContext node;
  private final Replica replica;
  private final Membership membership;
  private final Map<Long, Pending> pending = new HashMap<>();
  /** Keys whose stored version is a write coordinated here that no peer holds yet, by its message id. */
  private final Map<String, Long> unreplicated = new HashMap<>();
  private final Runnable onReadable;

  /** @param onReadable called when a key may be read again (a peer stored its write) */
  LocalWrites(NodeContext node, Replica replica, Membership membership, Runnable onReadable) {
    this.node = node;
    this.replica = replica;
    this.membership = membership;
    this.onReadable = onReadable;
  }

  /**
   * False while {@code request} would read a write coordinated here that no other replica
   * holds yet: a session shown it could see it taken back by one crash of this node (seed 3533).
   */
  boolean readable(Request request) {
    return !(request instanceof Request.Get g) || !unreplicated.containsKey(g.key());
  }

  /** A peer holds write {@code p} (or it was acknowledged without one): its key may be read. */
  private void replicated(Pending p) {
    String key = p.msg.item().key();
    Long id = unreplicated.get(key);
    if (id != null && id == p.msg.id()) {
      unreplicated.remove(key);
      onReadable.run();
    }
  }

  /** Serves a request whose dependencies this replica satisfies. */
  void execute(Request request, Consumer<Reply> onReply) {
    if (request instanceof Request.Get g) {
      StoredValue v = replica.get(g.key());
      CausalContext ctx = replica.readContext(g.context(), v);
      onReply.accept(v == null || v.isTombstone() ? new Reply.KeyMissing(ctx)
          : new Reply.Kv(Reply.KvOutcome.FOUND, v.value(), ctx, replica.shard()));
    } else if (request instanceof Request.Put p) {
      StoredValue cur = replica.get(p.key());
      Reply.KvOutcome outcome = cur == null || cur.isTombstone() ? Reply.KvOutcome.CREATED : Reply.KvOutcome.REPLACED;
      write(p.key(), p.value(), p.context(), outcome, onReply);
    } else if (request instanceof Request.Delete d) {
      StoredValue cur = replica.get(d.key());
      if (cur == null || cur.isTombstone()) {
        onReply.accept(new Reply.KeyMissing(replica.readContext(d.context(), cur)));
      } else {
        write(d.key(), null, d.context(), Reply.KvOutcome.DELETED, onReply);
      }
    } else if (request instanceof Request.KeyCount) {
      onReply.accept(new Reply.KeyCount(replica.liveKeys()));
    }
  }

  private void write(String key, byte[] value, CausalContext ctx, Reply.KvOutcome outcome, Consumer<Reply> onReply) {
    String writerId = replica.writerId();
    long counter = replica.writeLocally(key, value, writerId);
    replica.mergeDeps(ctx);
    CausalContext out = ctx.atEpoch(replica.epoch()).with(replica.shard(), VectorClock.empty().with(writerId, counter));
    Reply reply = new Reply.Kv(outcome, null, out, replica.shard());
    Msg.Replicate msg = new Msg.Replicate(node.nextId(), replica.epoch(), replica.shard(),
        new Msg.Item(key, replica.get(key)), writerId, counter, ctx.atEpoch(replica.epoch()));
    Set<String> peers = new HashSet<>();
    for (String peer : membership.state().shardMap().members(replica.shard())) {
      if (!peer.equals(node.address)) {
        peers.add(peer);
        node.send(peer, msg);
        node.counters.replicationCopies++;
      }
    }
    Pending p = new Pending(msg, peers, reply, onReply);
    if (!finishIfDone(p)) {
      unreplicated.put(key, msg.id());
      pending.put(msg.id(), p);
      scheduleResend(p);
    }
  }

  private void scheduleResend(Pending p) {
    long step = Math.max(1, node.settings.replicationTimeoutMs() / 4);
    node.after(step, () -> {
      if (pending.get(p.msg.id()) != p) {
        return;
      }
      if (node.now() >= p.deadline) {
        pending.remove(p.msg.id());
        replicated(p);
        if (!p.waitingFor.isEmpty()) {
          node.counters.replicationTimeouts++;
        }
        if (p.holders >= node.durability.minAckReplicas()) {
          node.log.debug("{} acknowledges write {} without {}", node.address, p.msg.item().key(), p.waitingFor);
          p.onReply.accept(p.reply);
        } else {
          node.log.debug("{} does not acknowledge write {}: {} of {} replicas hold it", node.address,
              p.msg.item().key(), p.holders, node.durability.minAckReplicas());
          p.onReply.accept(new Reply.Failed(KvsError.TOO_FEW_REPLICAS));
        }
        return;
      }
      if (!finishIfDone(p)) {
        p.waitingFor.forEach(peer -> node.send(peer, p.msg));
        node.counters.replicationRetries += p.waitingFor.size();
        scheduleResend(p);
      } else {
        pending.remove(p.msg.id());
        replicated(p);
      }
    });
  }

  /**
   * Acknowledges the client when no unsuspected peer is still missing the write and enough
   * replicas hold it.
   */
  private boolean finishIfDone(Pending p) {
    if (p.holders < node.durability.minAckReplicas()) {
      return false;
    }
    for (String peer : p.waitingFor) {
      if (!membership.suspected(peer)) {
        return false;
      }
    }
    p.onReply.accept(p.reply);
    return true;
  }

  /** Answers every write still waiting for replicas with {@code reply} (the node is stopping). */
  void answerAll(Reply reply) {
    java.util.List<Pending> all = new java.util.ArrayList<>(pending.values());
    pending.clear();
    unreplicated.clear();
    all.forEach(p -> p.onReply.accept(reply));
  }

  /** A peer stopped being waited for (it is shutting down): writes waiting only for it are done. */
  void peerLeft() {
    for (Pending p : new java.util.ArrayList<>(pending.values())) {
      if (finishIfDone(p)) {
        pending.remove(p.msg.id());
        replicated(p);
      }
    }
  }

  void onAck(String from, Msg.ReplicateAck ack) {
    Pending p = pending.get(ack.id());
    if (p != null && p.waitingFor.remove(from)) {
      node.counters.replicationAcks++;
      p.holders++;
      if (finishIfDone(p)) {
        pending.remove(ack.id());
      }
      replicated(p);
    }
  }

  /** A peer coordinated a write of this shard: store it and say so. */
  boolean onReplicate(String from, Msg.Replicate m) {
    if (m.epoch() != replica.epoch() || m.shard() != replica.shard()) {
      return false;
    }
    if (!replica.hasDot(m.writer(), m.counter())) {
      // A late or duplicated copy of an applied write must not come back after its key was
      // deleted and the tombstone collected.
      if (replica.apply(m.item().key(), m.item().value()) && unreplicated.remove(m.item().key()) != null) {
        onReadable.run(); // the stored version is no longer one coordinated here
      }
      replica.addDot(m.writer(), m.counter());
    }
    replica.mergeDeps(m.deps());
    node.send(from, new Msg.ReplicateAck(m.id()));
    return true;
  }

}
