package io.kvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Coordinates a reshard in two acknowledged phases. Prepare: every node in the view stops
 * coordinating writes and sends the coordinator all it holds. Install: the coordinator merges
 * the versions, deals the responders into the new shards and sends each node the new
 * membership with the keys of its new shard. Nothing is dropped before the new owners hold it;
 * a coordinator that gives up before Install aborts, and nodes also thaw on their own.
 */
final class Resharder {
  private final class Operation {
    final long id = node.nextId();
    final long newEpoch;
    final int shardCount;
    final List<String> targets;
    final Consumer<Reply> onReply;
    final Map<String, List<Msg.Item>> data = new TreeMap<>();
    final Map<String, Msg.ReshardInstall> installs = new TreeMap<>();
    final TreeSet<String> installed = new TreeSet<>();
    final long deadline;

    Operation(long newEpoch, int shardCount, List<String> targets, Consumer<Reply> onReply) {
      this.newEpoch = newEpoch;
      this.shardCount = shardCount;
      this.targets = targets;
      this.onReply = onReply;
      this.deadline = node.now() + node.settings.reshardTimeoutMs();
    }
  }

  private final NodeContext node;
  private final Membership membership;
  private final Participant participant;
  private Operation op;

  /** The participant side, implemented by the node. */
  interface Participant {
    /**
     * Freeze and return everything held; called for this node's own part too. Null when this
     * node serves another reshard or already has {@code newEpoch}.
     */
    List<Msg.Item> prepare(String coordinator, long id, long newEpoch);

    /** Install the new membership and keys. */
    void install(ClusterState state, List<Msg.Item> items);

    void thaw(long id);
  }

  /** A sentence on the reshard this node coordinates, or null when it coordinates none. */
  String progress() {
    Operation o = op;
    if (o == null) {
      return null;
    }
    if (o.installs.isEmpty()) {
      return "coordinating a reshard to " + o.shardCount + " shards: " + o.data.size() + " of "
          + o.targets.size() + " nodes prepared";
    }
    return "coordinating a reshard to " + o.shardCount + " shards: " + o.installed.size() + " of "
        + o.installs.size() + " nodes installed";
  }

  Resharder(NodeContext node, Membership membership, Participant participant) {
    this.node = node;
    this.membership = membership;
    this.participant = participant;
  }

  void start(Request.Reshard r, Consumer<Reply> onReply) {
    List<String> view = membership.state().view();
    if (r.shardCount() < 1) {
      onReply.accept(new Reply.Failed(KvsError.INVALID_SHARD_COUNT));
    } else if (view.size() < 2 * r.shardCount()) {
      onReply.accept(new Reply.Failed(KvsError.NOT_ENOUGH_NODES));
    } else if (op != null) {
      onReply.accept(new Reply.Failed(KvsError.BUSY));
    } else {
      Operation o = new Operation(membership.state().epoch + 1, r.shardCount(), view, onReply);
      List<Msg.Item> mine = participant.prepare(node.address, o.id, o.newEpoch);
      if (mine == null) {
        onReply.accept(new Reply.Failed(KvsError.BUSY));
        return;
      }
      op = o;
      node.log.info("{} reshards {} nodes into {} shards (epoch {})", node.address, view.size(),
          r.shardCount(), op.newEpoch);
      op.data.put(node.address, mine);
      resendPrepare(op);
    }
  }

  private void resendPrepare(Operation o) {
    if (op != o || !o.installs.isEmpty()) {
      return;
    }
    boolean everyone = o.data.keySet().containsAll(o.targets);
    if (everyone || node.now() >= o.deadline) {
      decide(o);
      return;
    }
    o.targets.stream().filter(t -> !o.data.containsKey(t))
        .forEach(t -> node.send(t, new Msg.ReshardPrepare(o.id, o.newEpoch)));
    node.after(Math.max(1, node.settings.reshardTimeoutMs() / 20), () -> resendPrepare(o));
  }

  void onData(String from, Msg.ReshardData m) {
    if (op != null && op.id == m.id() && op.installs.isEmpty() && op.targets.contains(from)) {
      op.data.put(from, m.items());
      if (op.data.keySet().containsAll(op.targets)) {
        decide(op);
      }
    }
  }

  private void decide(Operation o) {
    List<String> responders = new ArrayList<>(o.data.keySet());
    // Only nodes that look crashed may be left out: a live node that did not answer serves
    // another reshard (or cannot be reached one way), and two reshards must not both install.
    boolean liveSilent = o.targets.stream().anyMatch(t -> !o.data.containsKey(t) && !membership.suspected(t));
    if (liveSilent || responders.size() < 2 * o.shardCount) {
      node.log.warn("{} aborts the reshard: only {} of {} nodes answered", node.address,
          responders.size(), o.targets.size());
      responders.forEach(t -> send(t, new Msg.ReshardAbort(o.id)));
      finish(o, new Reply.Failed(KvsError.BUSY));
      return;
    }
    ShardMap map = ShardMap.assign(o.newEpoch, 0, responders, o.shardCount);
    ClusterState next = nextState(o, map);
    Map<Integer, List<Msg.Item>> byShard = partition(o, map);
    for (String t : responders) {
      o.installs.put(t, new Msg.ReshardInstall(o.id, next, byShard.get(map.shardOf(t).getAsInt())));
    }
    resendInstall(o);
  }

  /**
   * The new membership: the nodes dealt into shards get records of the new epoch; every other
   * record keeps its own stamp, so a view change made concurrently elsewhere is not overruled
   * by this reshard's snapshot (a record of an older epoch has no shard in the new one anyway).
   */
  private ClusterState nextState(Operation o, ShardMap map) {
    ClusterState cur = membership.state();
    TreeMap<String, MemberRecord> records = new TreeMap<>(cur.records);
    long stamp = cur.maxStamp() + 1;
    cur.records.forEach((a, r) -> map.shardOf(a).ifPresent(shard -> records.put(a, r.restamped(
        MemberRecord.Status.UP, shard, r.incarnation(), o.newEpoch, stamp, node.address))));
    return new ClusterState(o.newEpoch, o.shardCount, records);
  }

  private static Map<Integer, List<Msg.Item>> partition(Operation o, ShardMap map) {
    Map<String, StoredValue> latest = new HashMap<>();
    o.data.values().forEach(items -> items.forEach(i -> latest.merge(i.key(), i.value(),
        (a, b) -> b.newerThan(a) ? b : a)));
    Map<Integer, List<Msg.Item>> byShard = new HashMap<>();
    for (int s = 0; s < o.shardCount; s++) {
      byShard.put(s, new ArrayList<>());
    }
    new TreeMap<>(latest).forEach((k, v) -> byShard.get(map.shardForKey(k)).add(new Msg.Item(k, v)));
    return byShard;
  }

  private void resendInstall(Operation o) {
    if (op != o) {
      return;
    }
    if (o.installed.containsAll(o.installs.keySet()) || node.now() >= o.deadline + node.settings.reshardTimeoutMs()) {
      finish(o, everyShardInstalled(o) ? new Reply.Ok(Reply.Done.RESHARDED) : new Reply.Failed(KvsError.BUSY));
      return;
    }
    o.installs.forEach((t, msg) -> {
      if (!o.installed.contains(t)) {
        send(t, msg);
      }
    });
    node.after(Math.max(1, node.settings.reshardTimeoutMs() / 20), () -> resendInstall(o));
  }

  /**
   * True when every new shard has a member that installed its keys: the new epoch then holds
   * every key and spreads to the rest by gossip, so the reshard has happened even if a node
   * (crashed midway) never confirmed.
   */
  private static boolean everyShardInstalled(Operation o) {
    java.util.Set<Integer> covered = new java.util.HashSet<>();
    o.installed.forEach(t -> covered.add(o.installs.get(t).state().shardOf(t)));
    for (int s = 0; s < o.shardCount; s++) {
      if (!covered.contains(s)) {
        return false;
      }
    }
    return true;
  }

  /** Answers a reshard under way with {@code reply} (the node is stopping). */
  void answerAll(Reply reply) {
    if (op != null) {
      Operation o = op;
      op = null;
      o.onReply.accept(reply);
    }
  }

  void onInstalled(String from, Msg.ReshardInstalled m) {
    if (op != null && op.id == m.id()) {
      op.installed.add(from);
      if (op.installed.containsAll(op.installs.keySet())) {
        finish(op, new Reply.Ok(Reply.Done.RESHARDED));
      }
    }
  }

  private void send(String to, Msg msg) {
    if (to.equals(node.address)) {
      if (msg instanceof Msg.ReshardInstall install) {
        participant.install(install.state(), install.items());
        op.installed.add(to);
      } else if (msg instanceof Msg.ReshardAbort abort) {
        participant.thaw(abort.id());
      }
    } else {
      node.send(to, msg);
    }
  }

  private void finish(Operation o, Reply reply) {
    if (op == o) {
      op = null;
      node.log.info("{} reshard to {} shards ends: {}", node.address, o.shardCount, reply);
      o.onReply.accept(reply);
    }
  }
}
