package io.kvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/** The node: routes requests and messages to its parts, all on one logical thread. */
final class KvsNode implements Node, Msg.Handler {
  private final NodeContext node;
  private final List<String> seeds;
  private final Replica replica;
  private final Membership membership;
  private final LocalWrites writes;
  private final Forwarder forwarder;
  private final AntiEntropy antiEntropy;
  private final Resharder resharder;
  private final Parked parked;
  private final LostWriters lostWriters;
  private final TombstoneCollector tombstones;
  private final ReshardParticipant participant;
  private final java.util.Set<String> earlierRuns;
  private final Journal journal;
  private StateLog log = StateLog.NONE;
  private final boolean recoveredServing;

  KvsNode(NodeBuilder b) {
    Recovery recovery = b.disk == null ? null : new Recovery(b.disk, b.address, b.verifyChecksums, b.clock);
    boolean fresh = recovery == null || recovery.empty();
    this.earlierRuns = fresh ? java.util.Set.of() : recovery.incarnations();
    this.node = new NodeContext(b.address, b.settings, b.durability, b.clock, b.scheduler, b.transport,
        b.random, earlierRuns);
    String address = b.address;
    this.replica = new Replica(b.storage, node::now, address, node.incarnation);
    Recovery.Result recovered = fresh ? null : recovery.replayInto(replica);
    ClusterState initial = recovered != null && recovered.state() != null ? recovered.state()
        : ClusterState.initial(b.view, b.shardCount, address, node.incarnation);
    java.util.LinkedHashSet<String> contacts = new java.util.LinkedHashSet<>(b.view);
    contacts.addAll(initial.view());
    this.seeds = List.copyOf(contacts);
    this.membership = new Membership(node, initial, this::onMembershipChange);
    this.writes = new LocalWrites(node, replica, membership, this::retryParked);
    this.forwarder = new Forwarder(node, membership);
    this.lostWriters = new LostWriters(node, membership::state, replica::writerId);
    this.tombstones = new TombstoneCollector(node, replica, membership);
    this.antiEntropy = new AntiEntropy(node, replica, membership, lostWriters, tombstones, this::retryParked);
    this.participant = new ReshardParticipant(node, replica, membership, lostWriters, tombstones, this::retryParked);
    this.resharder = new Resharder(node, membership, participant);
    this.parked = new Parked(node);
    if (b.disk != null) {
      this.journal = new Journal(node, b.disk, b.durability.fsync(), recovered == null ? 1 : recovered.nextSegment(),
          recovered == null ? 0 : recovered.logBytes(), recovered == null ? 0 : recovered.snapshotBytes());
      node.journal = journal;
      log = journal.log();
      replica.logTo(log);
      participant.logTo(log);
    } else {
      this.journal = null;
    }
    boolean sameCopy = recovered != null && recovered.state() != null && !recovered.damaged()
        && replica.epoch() == initial.epoch && replica.shard() == initial.shardOf(address);
    if (!sameCopy) {
      replica.reset(initial.epoch, initial.shardOf(address));
    }
    this.recoveredServing = sameCopy && replica.caughtUp();
    if (recovered != null && recovered.frozen() >= 0) {
      participant.recoverFrozen(recovered.frozen());
    }
  }

  /** What a snapshot holds: everything the log would rebuild. */
  private Snapshot snapshot() {
    List<String> runs = new ArrayList<>(earlierRuns);
    runs.add(node.incarnation);
    return new Snapshot(runs, membership.state(), participant.frozenBy(), replica.epoch(), replica.shard(), replica.caughtUp(),
        replica.items(), replica.dotsCopy(), replica.deps());
  }

  @Override
  public void start() {
    node.log.info("{} starts (incarnation {}) with view {} in shard {}", node.address, node.incarnation,
        seeds, replica.shard());
    if (journal != null) {
      journal.start(node.incarnation, this::snapshot);
      log.state(membership.state());
    }
    membership.reviveSelf();
    membership.start(seeds);
    antiEntropy.start();
    participant.start();
    if (recoveredServing) {
      antiEntropy.syncWithEveryPeer(); // only what it missed while down travels
    } else {
      antiEntropy.beginCatchUp();
    }
  }

  @Override
  public void stop() {
    membership.sayGoodbye(); // while sends still leave: once stopped, the node is silent
    node.stopped = true;
    if (journal != null) {
      journal.stop();
    }
    Reply stopped = new Reply.Failed(KvsError.NODE_STOPPED);
    parked.answerAll(stopped);
    forwarder.answerAll(stopped);
    writes.answerAll(stopped);
    resharder.answerAll(stopped);
  }

  @Override
  public void submit(Request request, Consumer<Reply> reply) {
    Consumer<Reply> durable = node.durably(reply);
    NodeCounters counters = node.counters;
    Consumer<Reply> onReply = r -> {
      counters.answered(r);
      durable.accept(r);
    };
    if (node.stopped) {
      onReply.accept(new Reply.Failed(KvsError.NODE_STOPPED));
      return;
    }
    KvsError invalid = RequestRules.validate(request);
    if (invalid != null) {
      onReply.accept(new Reply.Failed(invalid));
    } else if (request instanceof Request.AddToView || request instanceof Request.RemoveFromView
        || request instanceof Request.AddMember) {
      onReply.accept(ViewOperations.apply(membership, request));
    } else if (request instanceof Request.Reshard r) {
      resharder.start(r, onReply);
    } else {
      if (!(request instanceof Request.KeyCount)) {
        node.counters.keyRequest(RequestRules.contextOf(request)); // once: parked requests dispatch again
      }
      dispatch(request, onReply);
    }
  }

  /** Routes a key-value request or key count: serve here, park, or forward. */
  private void dispatch(Request request, Consumer<Reply> onReply) {
    ShardMap map = membership.state().shardMap();
    int shard = RequestRules.shardOf(request, map);
    if (shard < 0) {
      onReply.accept(new Reply.Failed(KvsError.NO_SUCH_SHARD));
    } else if (pausedForReshard(request)) {
      parked.park(request, onReply, 2 * node.settings.reshardTimeoutMs(), KvsError.BUSY);
    } else if (serves(shard)) {
      serveHere(request, onReply);
    } else {
      forwarder.forward(shard, request, onReply);
    }
  }

  private boolean serves(int shard) {
    return replica.caughtUp() && replica.shard() == shard && replica.epoch() == membership.state().epoch;
  }

  private boolean satisfied(Request request) {
    // the peers are listed only when a dependency is missing, which is rare
    return replica.satisfies(RequestRules.contextOf(request), writer -> lostWriters.givenUp(writer,
        membership.state().shardMap().members(replica.shard()).stream().filter(m -> !m.equals(node.address)).toList()));
  }

  private void serveHere(Request request, Consumer<Reply> onReply) {
    if (!satisfied(request)) {
      parked.park(request, onReply, node.settings.dependencyWaitMs(), KvsError.DEPENDENCIES_UNSATISFIED);
      antiEntropy.pullMissing();
    } else if (!writes.readable(request)) {
      // reading a write only this node holds yet: wait until a peer stored it (or the write
      // is acknowledged without one at the replication timeout)
      parked.park(request, onReply, 2 * node.settings.replicationTimeoutMs(), KvsError.SHARD_UNAVAILABLE);
    } else {
      writes.execute(request, onReply);
    }
  }

  /** A relayed request: accepted when this node serves (or will soon serve) its shard. */
  private boolean serveRelayed(Request request, Consumer<Reply> onReply) {
    int shard = RequestRules.shardOf(request, membership.state().shardMap());
    if (pausedForReshard(request)) {
      parked.park(request, onReply, 2 * node.settings.reshardTimeoutMs(), KvsError.BUSY);
      return true;
    }
    if (shard < 0 || !serves(shard)) {
      return false;
    }
    serveHere(request, onReply);
    return true;
  }

  private void retryParked() {
    parked.retry(this::readyToDispatch, this::dispatch);
  }

  /** While a reshard collects data, writes wait; reads go on from the data held. */
  private boolean pausedForReshard(Request request) {
    return participant.frozen() && (request instanceof Request.Put || request instanceof Request.Delete);
  }

  private boolean readyToDispatch(Request request) {
    if (pausedForReshard(request)) {
      return false;
    }
    int shard = RequestRules.shardOf(request, membership.state().shardMap());
    return shard < 0 || !serves(shard) || (satisfied(request) && writes.readable(request));
  }

  @Override
  public void receive(String from, byte[] frame) {
    if (node.stopped) {
      return;
    }
    Msg msg;
    try {
      msg = MessageCodec.decode(frame);
    } catch (FrameReader.MalformedFrameException e) {
      node.log.warn("{} drops a malformed message from {}: {}", node.address, from, e.getMessage());
      return;
    }
    msg.sendTo(this, from);
  }

  // --- message handlers (Msg.Handler) ---

  @Override
  public void onGossip(String from, Msg.Gossip m) {
    membership.onGossip(from, m);
  }

  @Override
  public void onLeaving(String from, Msg.Leaving m) {
    membership.onLeaving(from, m);
    writes.peerLeft();
    forwarder.peerLeft(from);
  }

  @Override
  public void onForward(String from, Msg.Forward m) {
    forwarder.onForward(from, m, this::serveRelayed);
  }

  @Override
  public void onForwardReply(String from, Msg.ForwardReply m) {
    forwarder.onReply(m);
  }

  @Override
  public void onReplicate(String from, Msg.Replicate m) {
    if (writes.onReplicate(from, m)) {
      retryParked();
    }
  }

  @Override
  public void onReplicateAck(String from, Msg.ReplicateAck m) {
    writes.onAck(from, m);
  }

  @Override
  public void onSyncRequest(String from, Msg.SyncRequest m) {
    antiEntropy.onRequest(from, m);
  }

  @Override
  public void onSyncReply(String from, Msg.SyncReply m) {
    antiEntropy.onReply(from, m);
  }

  @Override
  public void onPull(String from, Msg.Pull m) {
    antiEntropy.onPull(from, m);
  }

  @Override
  public void onPullReply(String from, Msg.PullReply m) {
    antiEntropy.onPullReply(from, m);
  }

  @Override
  public void onReshardPrepare(String from, Msg.ReshardPrepare m) {
    List<Msg.Item> items = participant.prepare(from, m.id(), m.newEpoch());
    if (items != null) {
      node.send(from, new Msg.ReshardData(m.id(), items));
    }
  }

  @Override
  public void onReshardData(String from, Msg.ReshardData m) {
    resharder.onData(from, m);
  }

  @Override
  public void onReshardInstall(String from, Msg.ReshardInstall m) {
    participant.install(m.state(), m.items());
    node.send(from, new Msg.ReshardInstalled(m.id()));
  }

  @Override
  public void onReshardInstalled(String from, Msg.ReshardInstalled m) {
    resharder.onInstalled(from, m);
  }

  @Override
  public void onHandoff(String from, Msg.Handoff m) {
    if (m.epoch() == replica.epoch() && m.shard() == replica.shard()) {
      m.items().forEach(i -> replica.apply(i.key(), i.value().withoutDot()));
      retryParked();
    }
  }

  @Override
  public void onReshardAbort(String from, Msg.ReshardAbort m) {
    participant.thaw(m.id());
  }

  /** Membership changed: if this node's shard or the epoch moved, hand keys to their owners. */
  private void onMembershipChange(ClusterState before, ClusterState after) {
    log.atomically(() -> {
      log.state(after);
      moveIfPlacementChanged(after);
    });
    retryParked();
  }

  private void moveIfPlacementChanged(ClusterState after) {
    int shard = after.shardOf(node.address);
    if (after.epoch != replica.epoch() || shard != replica.shard()) {
      node.log.info("{} moves from shard {} (epoch {}) to shard {} (epoch {})", node.address,
          replica.shard(), replica.epoch(), shard, after.epoch);
      List<Msg.Item> held = replica.items();
      replica.reset(after.epoch, shard);
      lostWriters.reset();
      tombstones.reset();
      handOff(held, after);
      antiEntropy.beginCatchUp();
    }
  }

  private void handOff(List<Msg.Item> held, ClusterState state) {
    ShardMap map = state.shardMap();
    Map<Integer, List<Msg.Item>> away = new HashMap<>();
    for (Msg.Item i : held) {
      int s = map.shardForKey(i.key());
      if (s == replica.shard()) {
        replica.apply(i.key(), i.value().withoutDot());
      } else {
        away.computeIfAbsent(s, k -> new ArrayList<>()).add(i);
      }
    }
    away.forEach((s, items) -> map.members(s).forEach(m -> node.send(m, new Msg.Handoff(state.epoch, s, items))));
  }

  // --- queries ---

  @Override
  public String address() {
    return node.address;
  }

  @Override
  public String incarnation() {
    return node.incarnation;
  }

  @Override
  public List<String> view() {
    return membership.state().view();
  }

  @Override
  public ShardMap shardMap() {
    return membership.state().shardMap();
  }

  @Override
  public OptionalInt shardId() {
    int s = membership.state().shardOf(node.address);
    return s < 0 ? OptionalInt.empty() : OptionalInt.of(s);
  }

  @Override
  public long localKeyCount() {
    return replica.liveKeys();
  }

  @Override
  public java.util.SortedMap<String, StoredValue> storedVersions() {
    java.util.TreeMap<String, StoredValue> copy = new java.util.TreeMap<>();
    replica.items().forEach(i -> copy.put(i.key(), i.value()));
    return copy;
  }

  @Override
  public NodeStats stats() {
    return node.counters.snapshot(new NodeStats.Sizes(replica.shard(), replica.liveKeys(), replica.tombstones(),
        NodeCounters.entries(replica.deps()), journal == null ? 0 : journal.logBytes(),
        journal == null ? 0 : journal.snapshotBytes()));
  }

  @Override
  public boolean caughtUp() {
    return replica.caughtUp();
  }

  @Override
  public NodeStatus status() {
    String reshard = resharder.progress();
    if (reshard == null && participant.frozen()) {
      reshard = "frozen by a reshard in progress: writes wait until it installs or is abandoned";
    }
    return StatusReport.of(node, membership, replica, antiEntropy, reshard);
  }
}
