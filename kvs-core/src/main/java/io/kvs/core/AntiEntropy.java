package io.kvs.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps replicas of a shard identical without resending whole stores: a replica sends its
 * per-bucket digests to a peer, which answers with the keys of the buckets that differ plus
 * the dots it has applied. Merging that answer leaves the asker holding everything the peer
 * held, so the asker may also take over the peer's dots.
 *
 * <p>The same exchange catches up a node that joined a shard or restarted: it asks every
 * member and serves its shard once a caught-up member answered (or every member did, which
 * is the case when a whole new cluster starts empty).
 */
final class AntiEntropy {
  /** A pull for more missing writes than this gets the full exchange instead. */
  static final int PULL_LIMIT_DOTS = 8192;
  private static final Set<Integer> ALL_BUCKETS =
      java.util.stream.IntStream.range(0, Replica.BUCKETS).boxed().collect(java.util.stream.Collectors.toUnmodifiableSet());

  private final NodeContext node;
  private final Replica replica;
  private final Membership membership;
  private final Runnable onProgress;
  private final LostWriters lostWriters;
  private final TombstoneCollector tombstones;
  /** Request id to the replica generation it was asked for. */
  private final Map<Long, Long> asked = new HashMap<>();
  private final Set<String> catchUpAnswers = new HashSet<>();
  private long lastPullMs = Long.MIN_VALUE / 2;
  private long lastRoundAtMs = -1;

  AntiEntropy(NodeContext node, Replica replica, Membership membership, LostWriters lostWriters,
              TombstoneCollector tombstones, Runnable onProgress) {
    this.lostWriters = lostWriters;
    this.tombstones = tombstones;
    this.node = node;
    this.replica = replica;
    this.membership = membership;
    this.onProgress = onProgress;
  }

  void start() {
    node.every(node.settings.antiEntropyIntervalMs(), this::round);
    node.every(Math.max(1, node.settings.heartbeatIntervalMs() / 2), this::catchUpRound);
  }

  private List<String> peers() {
    return membership.state().shardMap().members(replica.shard()).stream()
        .filter(m -> !m.equals(node.address)).toList();
  }

  /** When this copy last asked a peer to compare digests, or -1 if it never did. */
  long lastRoundAtMs() {
    return lastRoundAtMs;
  }

  private void round() {
    List<String> peers = peers();
    if (replica.shard() >= 0 && replica.caughtUp() && !peers.isEmpty()) {
      lastRoundAtMs = node.now();
      ask(peers.get(node.random.nextInt(peers.size())));
    }
    if (replica.shard() >= 0 && replica.caughtUp()) {
      tombstones.collect();
    }
  }

  /**
   * Pulls from every peer now, because a request waits for dependencies this replica lacks: it
   * waits only {@code dependencyWaitMs}, while the next round may be a second away (after a
   * heal, the values often converged but dots of overwritten versions did not). A pull is
   * answered from the peer's recent writes, not by a scan of its store, since most such
   * requests wait only for a write still on its way. At most one pull per dependency wait.
   */
  void pullMissing() {
    long now = node.now();
    if (replica.shard() < 0 || !replica.caughtUp() || now - lastPullMs < node.settings.dependencyWaitMs()) {
      return;
    }
    lastPullMs = now;
    for (String peer : peers()) {
      long id = node.nextId();
      remember(id);
      node.counters.pulls++;
      node.send(peer, new Msg.Pull(id, replica.epoch(), replica.shard(), replica.dotsCopy()));
    }
  }

  void onPull(String from, Msg.Pull m) {
    if (m.epoch() != replica.epoch() || m.shard() != replica.shard()) {
      return;
    }
    Replica.Missing missing = replica.missingFrom(m.have(), PULL_LIMIT_DOTS);
    if (missing == null) {
      // too far behind for the recent writes: the full exchange, every bucket taken as differing
      node.send(from, new Msg.SyncReply(m.id(), replica.epoch(), replica.shard(), replica.caughtUp(),
          replica.itemsIn(ALL_BUCKETS, m.have()), replica.dotsCopy(), replica.deps()));
      return;
    }
    node.send(from, new Msg.PullReply(m.id(), replica.epoch(), replica.shard(), missing.items(), missing.dots(),
        replica.deps()));
  }

  void onPullReply(String from, Msg.PullReply m) {
    int repaired = merged(m.id(), m.epoch(), m.shard(), m.items(), m.dots(), m.deps());
    if (repaired >= 0) {
      node.counters.pullRepairedKeys += repaired;
      onProgress.run();
    }
  }

  /**
   * Applies an answer to this copy's request {@code id}: its versions, then its dots (which
   * they cover) and its dependency summary. Returns how many versions it stored (that were
   * newer than this copy's), or -1 for an answer this copy did not ask for.
   */
  private int merged(long id, long epoch, int shard, List<Msg.Item> items, DotSet dots, CausalContext deps) {
    Long generation = asked.remove(id);
    if (generation == null || generation != replica.generation() || epoch != replica.epoch() || shard != replica.shard()) {
      return -1;
    }
    int stored = 0;
    for (Msg.Item i : items) {
      stored += replica.apply(i.key(), i.value()) ? 1 : 0;
    }
    replica.addDots(dots);
    replica.mergeDeps(deps);
    return stored;
  }

  /**
   * Compares with every peer now: a replica restarted from its data serves at once and gets
   * from each peer only the writes it missed while it was down.
   */
  void syncWithEveryPeer() {
    if (replica.shard() >= 0) {
      peers().forEach(this::ask);
    }
  }

  /** Starts catching up now rather than at the next round. */
  void beginCatchUp() {
    catchUpAnswers.clear();
    catchUpRound();
  }

  private void catchUpRound() {
    if (replica.shard() < 0 || replica.caughtUp()) {
      return;
    }
    List<String> peers = peers();
    if (peers.isEmpty()) {
      markCaughtUp("it is its shard's only member");
      return;
    }
    peers.forEach(this::ask);
  }

  private void ask(String peer) {
    long id = node.nextId();
    remember(id);
    node.counters.antiEntropyRounds++;
    node.send(peer, new Msg.SyncRequest(id, replica.epoch(), replica.shard(), replica.digest(),
        replica.dotsCopy()));
  }

  private void remember(long id) {
    if (asked.size() > 10_000) {
      asked.clear(); // answers that never came; their late arrival is harmless to ignore
    }
    asked.put(id, replica.generation());
  }

  void onRequest(String from, Msg.SyncRequest m) {
    if (m.epoch() != replica.epoch() || m.shard() != replica.shard() || m.digest().length != Replica.BUCKETS) {
      return;
    }
    long[] mine = replica.digest();
    Set<Integer> differing = new HashSet<>();
    for (int b = 0; b < Replica.BUCKETS; b++) {
      if (mine[b] != m.digest()[b]) {
        differing.add(b);
      }
    }
    node.send(from, new Msg.SyncReply(m.id(), replica.epoch(), replica.shard(), replica.caughtUp(),
        replica.itemsIn(differing, m.have()), replica.dotsCopy(), replica.deps()));
  }

  void onReply(String from, Msg.SyncReply m) {
    int repaired = merged(m.id(), m.epoch(), m.shard(), m.items(), m.dots(), m.deps());
    if (repaired < 0) {
      return;
    }
    node.counters.syncRepairedKeys += repaired;
    lostWriters.syncedFrom(from);
    tombstones.reported(from, m.dots());
    if (!replica.caughtUp()) {
      catchUpAnswers.add(from);
      if (m.caughtUp()) {
        markCaughtUp("caught up from " + from);
      } else if (catchUpAnswers.containsAll(peers())) {
        markCaughtUp("every member answered and none holds more");
      }
    }
    onProgress.run();
  }

  private void markCaughtUp(String why) {
    replica.markCaughtUp();
    catchUpAnswers.clear();
    node.log.info("{} serves shard {} (epoch {}): {}", node.address, replica.shard(), replica.epoch(), why);
  }
}
