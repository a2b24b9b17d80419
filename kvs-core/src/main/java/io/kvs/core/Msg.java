package io.kvs.core;

import java.util.List;
import java.util.Map;

/** Node-to-node messages. Each is a value: it crosses the wire through {@link MessageCodec}. */
sealed interface Msg {
  /** One key's version, as shipped between replicas. */
  record Item(String key, StoredValue value) {}

  /** Heartbeat and membership gossip; {@code heardAgoMs} feeds indirect failure detection. */
  record Gossip(String incarnation, ClusterState state, Map<String, Long> heardAgoMs,
                boolean wantsReply) implements Msg {}

  /**
   * A client request relayed to a member of the key's shard. {@code targetIncarnation} names
   * the run of the member it is meant for ("" when unknown): a restarted member has forgotten
   * which requests it executed, so it must not execute a repeat meant for its earlier run.
   */
  record Forward(long id, Request request, String targetIncarnation) implements Msg {
    Forward(long id, Request request) {
      this(id, request, "");
    }
  }

  /** The answer to a {@link Forward}; {@code refused} means "not serving that shard, try another". */
  record ForwardReply(long id, boolean refused, Reply reply) implements Msg {}

  /** A write sent by its coordinator to the other members of its shard. */
  record Replicate(long id, long epoch, int shard, Item item, String writer, long counter,
                   CausalContext deps) implements Msg {}

  record ReplicateAck(long id) implements Msg {}

  /**
   * Anti-entropy and catch-up: "here are my bucket digests and the writes I hold; send the
   * versions of differing buckets that I lack".
   */
  record SyncRequest(long id, long epoch, int shard, long[] digest, DotSet have) implements Msg {}

  /** The differing buckets, plus the responder's applied dots and dependency summary. */
  record SyncReply(long id, long epoch, int shard, boolean caughtUp, List<Item> items, DotSet dots,
                   CausalContext deps) implements Msg {}

  /**
   * A pull for the recent writes the asker lacks, because a request of its waits for them:
   * "here are the writes I hold; send the ones you applied lately that I lack".
   */
  record Pull(long id, long epoch, int shard, DotSet have) implements Msg {}

  /** The versions a pull asked for, and the dots the asker may record once it applied them. */
  record PullReply(long id, long epoch, int shard, List<Item> items, DotSet dots,
                   CausalContext deps) implements Msg {}

  /** Reshard phase one: stop serving writes and send me everything you hold. */
  record ReshardPrepare(long id, long newEpoch) implements Msg {}

  record ReshardData(long id, List<Item> items) implements Msg {}

  /** Reshard phase two: install this membership and these keys of your new shard. */
  record ReshardInstall(long id, ClusterState state, List<Item> items) implements Msg {}

  record ReshardInstalled(long id) implements Msg {}

  /** The coordinator gave up before installing anything: serve again under the old epoch. */
  record ReshardAbort(long id) implements Msg {}

  /**
   * A node shutting down says so, so that its peers stop waiting for it at once instead of
   * after {@code suspectAfterMs} of silence; it names its run, so a restart is told apart.
   */
  record Leaving(String incarnation) implements Msg {}

  /** Keys a node no longer owns, pushed to their new owners (no reply). */
  record Handoff(long epoch, int shard, List<Item> items) implements Msg {}
}
