package io.kvs.core;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * Gossip of the {@link ClusterState} and failure detection. Every heartbeat carries the
 * whole state plus how long ago this node heard from each peer; a peer is removed only when
 * neither this node nor anyone reporting to it has heard from it for {@code removeAfterMs},
 * so one slow reply or one broken link never removes a live node. A removed node that is
 * heard from again is added back.
 */
final class Membership {
  private final NodeContext node;
  private final BiConsumer<ClusterState, ClusterState> onChange;
  private final Map<String, Long> heardDirect = new HashMap<>();
  private final Map<String, Long> heardIndirect = new HashMap<>();
  /** A goodbye: the run (incarnation) that said it, and when. */
  private record Departure(String incarnation, long atMs) {}

  /**
   * Peers that said they are shutting down. A goodbye stands for {@code removeAfterMs} at most:
   * by then a node that stayed away is removed from the view anyway, and a restart that
   * happened to draw the same incarnation is not suspected for ever.
   */
  private final Map<String, Departure> departed = new HashMap<>();
  /** Peers suspected at the last heartbeat: a suspicion is counted once, when it begins. */
  private final java.util.Set<String> suspectedPeers = new java.util.HashSet<>();
  private ClusterState state;
  private long stampClock;

  Membership(NodeContext node, ClusterState initial, BiConsumer<ClusterState, ClusterState> onChange) {
    this.node = node;
    this.state = initial;
    this.onChange = onChange;
    this.stampClock = initial.maxStamp();
  }

  ClusterState state() {
    return state;
  }

  void start(List<String> seeds) {
    long now = node.now();
    state.records.keySet().forEach(a -> heardDirect.put(a, now));
    for (String seed : seeds) {
      if (!seed.equals(node.address)) {
        node.send(seed, gossip(true));
      }
    }
    node.every(node.settings.heartbeatIntervalMs(), this::tick);
  }

  /** True when this node has not heard from {@code address} for {@code suspectAfterMs}. */
  boolean suspected(String address) {
    if (departing(address)) {
      return true;
    }
    Long heard = heardDirect.get(address);
    return heard == null || node.now() - heard > node.settings.suspectAfterMs();
  }

  /** Time since this node last heard from {@code address} directly, or -1 if it never did. */
  long silentMs(String address) {
    if (address.equals(node.address)) {
      return 0;
    }
    Long heard = heardDirect.get(address);
    return heard == null ? -1 : node.now() - heard;
  }

  private boolean departing(String address) {
    Departure d = departed.get(address);
    return d != null && node.now() - d.atMs() <= node.settings.removeAfterMs();
  }

  private void tick() {
    detectFailures();
    Msg.Gossip g = gossip(false);
    state.records.values().forEach(r -> {
      if (!r.address().equals(node.address) && r.status() != MemberRecord.Status.LEFT) {
        node.send(r.address(), g);
      }
    });
  }

  /** Counts the peers that became suspected since the last heartbeat. */
  private void countSuspicions() {
    for (MemberRecord r : state.records.values()) {
      String peer = r.address();
      if (peer.equals(node.address) || r.status() != MemberRecord.Status.UP || !suspected(peer)) {
        suspectedPeers.remove(peer);
      } else if (suspectedPeers.add(peer)) {
        node.counters.suspicions++;
      }
    }
  }

  private void detectFailures() {
    countSuspicions();
    long now = node.now();
    for (MemberRecord r : List.copyOf(state.records.values())) {
      if (r.status() != MemberRecord.Status.UP || r.address().equals(node.address)) {
        continue;
      }
      long heard = Math.max(heardDirect.getOrDefault(r.address(), now),
          heardIndirect.getOrDefault(r.address(), Long.MIN_VALUE));
      if (now - heard > node.settings.removeAfterMs()) {
        node.log.info("{} removes {} from the view: silent for {} ms", node.address, r.address(), now - heard);
        node.counters.removals++;
        update(r.address(), MemberRecord.Status.DOWN, r.shard(), r.incarnation());
      }
    }
  }

  private Msg.Gossip gossip(boolean wantsReply) {
    long now = node.now();
    Map<String, Long> ago = new TreeMap<>();
    heardDirect.forEach((a, t) -> ago.put(a, Math.max(0, now - t)));
    return new Msg.Gossip(node.incarnation, state, ago, wantsReply);
  }

  void onGossip(String from, Msg.Gossip g) {
    long now = node.now();
    Departure d = departed.get(from);
    if (d == null || !d.incarnation().equals(g.incarnation()) || !departing(from)) {
      departed.remove(from); // a new run of a departed node, or its goodbye has expired
      heardDirect.put(from, now);
    } // else a late heartbeat of the departed run: no sign of life
    g.heardAgoMs().forEach((a, ago) -> heardIndirect.merge(a, now - ago, Math::max));
    ClusterState before = state;
    ClusterState merged = state.merge(g.state());
    observeStampsOf(merged);
    install(admitSender(reviveSelf(merged), from, g.incarnation()));
    if (g.wantsReply() || !state.equals(g.state())) {
      node.send(from, gossip(false));
    }
    if (!state.equals(before)) {
      pushToAll();
    }
  }

  /** A node restarted from its data announces this run: its own record gets its new incarnation. */
  void reviveSelf() {
    install(reviveSelf(state));
  }

  /** Tells every peer that this node is shutting down (a crash says nothing). */
  void sayGoodbye() {
    Msg.Leaving bye = new Msg.Leaving(node.incarnation);
    state.records.values().forEach(r -> {
      if (!r.address().equals(node.address) && r.status() != MemberRecord.Status.LEFT) {
        node.send(r.address(), bye);
      }
    });
  }

  /**
   * A peer is shutting down: it is suspected from now on, until a new run of it is heard. It
   * stays in the view, so failure detection removes it as it would a silent node.
   */
  void onLeaving(String from, Msg.Leaving m) {
    MemberRecord r = state.records.get(from);
    if (r == null || !r.incarnation().equals(m.incarnation())) {
      return; // a late or repeated goodbye of an earlier run: the run we know of is not leaving
    }
    if (departed.put(from, new Departure(m.incarnation(), node.now())) == null) {
      node.log.info("{} stops waiting for {}: it is shutting down", node.address, from);
    }
  }

  private void observeStampsOf(ClusterState s) {
    stampClock = Math.max(stampClock, s.maxStamp());
  }

  /** Others may think this node is down or gone; a live node says it is up. */
  private ClusterState reviveSelf(ClusterState s) {
    MemberRecord me = s.records.get(node.address);
    if (me != null && me.status() == MemberRecord.Status.UP && me.incarnation().equals(node.incarnation)) {
      return s;
    }
    if (me != null && me.status() == MemberRecord.Status.LEFT && me.incarnation().equals(node.incarnation)) {
      return s;
    }
    int shard = formerShard(s, me);
    return s.with(record(node.address, MemberRecord.Status.UP, shard, node.incarnation, s.epoch));
  }

  /** A node we hear from is alive: add it if unknown, re-add it if it was removed. */
  private ClusterState admitSender(ClusterState s, String from, String incarnation) {
    MemberRecord r = s.records.get(from);
    if (r != null && r.status() == MemberRecord.Status.UP) {
      return s;
    }
    if (r != null && r.status() == MemberRecord.Status.LEFT && r.incarnation().equals(incarnation)) {
      return s;
    }
    int shard = formerShard(s, r);
    node.log.info("{} adds {} to the view", node.address, from);
    return s.with(record(from, MemberRecord.Status.UP, shard, incarnation, s.epoch));
  }

  /**
   * The shard a node that was removed (crashed, restarted or deleted from the view) returns
   * to: the one it was in, if that placement epoch still stands; else none.
   */
  static int formerShard(ClusterState s, MemberRecord r) {
    return r != null && r.epoch() == s.epoch ? r.shard() : -1;
  }

  private MemberRecord record(String address, MemberRecord.Status status, int shard, String inc, long epoch) {
    return new MemberRecord(address, status, shard, inc, epoch, ++stampClock, node.address);
  }

  /** Changes one address's record here and tells everyone. */
  void update(String address, MemberRecord.Status status, int shard, String incarnation) {
    install(state.with(record(address, status, shard, incarnation, state.epoch)));
    if (status == MemberRecord.Status.UP) {
      heardDirect.putIfAbsent(address, node.now());
    }
    pushToAll();
  }

  /** Installs a state decided elsewhere (a reshard), merged with what is known here. */
  void adopt(ClusterState s) {
    observeStampsOf(s);
    install(reviveSelf(state.merge(s)));
    pushToAll();
  }

  void pushToAll() {
    Msg.Gossip g = gossip(false);
    state.records.values().forEach(r -> {
      if (!r.address().equals(node.address) && r.status() != MemberRecord.Status.LEFT) {
        node.send(r.address(), g);
      }
    });
  }

  private void install(ClusterState next) {
    if (!next.equals(state)) {
      ClusterState before = state;
      state = next;
      onChange.accept(before, next);
    }
  }
}
