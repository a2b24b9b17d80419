package io.kvs.core;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Decides when writes of a dead writer are lost for good, so metadata that depends on them
 * stops answering 503 forever (pitfall: dependencies that can never be met).
 *
 * <p>A writer is one copy of a shard on one run of a node ({@code address/incarnation.generation}).
 * It is certainly dead once its address has restarted with another incarnation, or, for this
 * node's own writers, once this node started a fresh copy. An address out of the view may only be cut
 * off and still hold its writes, so it is presumed crashed only after staying out for five
 * times the removal timeout. Missing writes of a dead writer are given up only after this
 * replica has merged a full anti-entropy answer from every live member of the shard since it
 * noticed the death: then no live member holds more of them than it does.
 */
final class LostWriters {
  private final NodeContext node;
  private final Supplier<ClusterState> state;
  private final Map<String, Long> noticedDead = new HashMap<>();
  private final Map<String, Long> outOfViewSince = new HashMap<>();
  private final Map<String, Long> lastSyncFrom = new HashMap<>();
  private final Set<String> reported = new HashSet<>();

  private final Supplier<String> currentWriter;

  LostWriters(NodeContext node, Supplier<ClusterState> state, Supplier<String> currentWriter) {
    this.node = node;
    this.state = state;
    this.currentWriter = currentWriter;
  }

  /** A full anti-entropy answer from {@code peer} has been merged. */
  void syncedFrom(String peer) {
    lastSyncFrom.put(peer, node.now());
  }

  /** The replica started over (new shard or epoch): earlier syncs say nothing about it. */
  void reset() {
    noticedDead.clear();
    lastSyncFrom.clear();
  }

  /** True when writes of {@code writer} beyond what this replica holds can never arrive. */
  boolean givenUp(String writer, List<String> shardPeers) {
    if (!dead(writer)) {
      return false;
    }
    long since = noticedDead.computeIfAbsent(writer, w -> node.now());
    for (String peer : shardPeers) {
      if (lastSyncFrom.getOrDefault(peer, Long.MIN_VALUE) <= since) {
        return false;
      }
    }
    if (reported.add(writer)) {
      node.log.warn("{} gives up on writes of {} that no live replica holds; they are lost",
          node.address, writer);
    }
    return true;
  }

  private boolean dead(String writer) {
    int slash = writer.lastIndexOf('/');
    if (slash < 0) {
      return false;
    }
    String address = writer.substring(0, slash);
    String incarnation = Replica.incarnationOf(writer);
    if (address.equals(node.address)) {
      // Another copy of this node's own: earlier runs, or earlier copies of this run.
      return !writer.equals(currentWriter.get());
    }
    MemberRecord r = state.get().records.get(address);
    if (r != null && !r.incarnation().isEmpty() && !r.incarnation().equals(incarnation)) {
      return true;
    }
    if (r != null && r.status() == MemberRecord.Status.UP) {
      outOfViewSince.remove(address);
      return false;
    }
    long since = outOfViewSince.computeIfAbsent(address, a -> node.now());
    return node.now() - since >= 5 * node.settings.removeAfterMs();
  }
}
