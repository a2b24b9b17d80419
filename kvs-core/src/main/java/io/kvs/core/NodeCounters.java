package io.kvs.core;

/**
 * The running totals behind {@link NodeStats}: plain fields that the node's parts increment as
 * things happen. Plain, not atomic, because every increment and every read happens on the
 * node's one logical thread; {@link #snapshot} is how anything else gets to see them.
 */
final class NodeCounters {
  private final long[] failures = new long[KvsError.values().length];
  long keyRequests;
  long requestContextEntries;
  long replicationCopies;
  long replicationAcks;
  long replicationRetries;
  long replicationTimeouts;
  long antiEntropyRounds;
  long syncRepairedKeys;
  long pulls;
  long pullRepairedKeys;
  long suspicions;
  long removals;

  /** Counts the answer a client request got: failures by their error. */
  void answered(Reply reply) {
    if (reply instanceof Reply.Failed f) {
      failures[f.error().ordinal()]++;
    }
  }

  /**
   * Counts a key request and the size of the causal context it carries: the entries of its
   * vector clocks, summed over shards. It is what a client sends back with every request, so
   * its growth is what the metadata costs; counting entries needs no encoding.
   */
  void keyRequest(CausalContext context) {
    keyRequests++;
    requestContextEntries += entries(context);
  }

  /** Vector clock entries of {@code context}, summed over its shards. */
  static long entries(CausalContext context) {
    long n = 0;
    for (VectorClock clock : context.shards().values()) {
      n += clock.size();
    }
    return n;
  }

  /** An immutable copy of the totals with the node's current sizes. */
  NodeStats snapshot(NodeStats.Sizes sizes) {
    java.util.EnumMap<KvsError, Long> byError = new java.util.EnumMap<>(KvsError.class);
    for (KvsError e : KvsError.values()) {
      if (failures[e.ordinal()] > 0) {
        byError.put(e, failures[e.ordinal()]);
      }
    }
    return new NodeStats(sizes, java.util.Collections.unmodifiableMap(byError), keyRequests,
        requestContextEntries, new NodeStats.Replication(replicationCopies, replicationAcks, replicationRetries,
            replicationTimeouts),
        new NodeStats.Repair(antiEntropyRounds, syncRepairedKeys, pulls, pullRepairedKeys),
        suspicions, removals);
  }
}
