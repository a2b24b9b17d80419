package io.kvs.core;

import java.util.List;
import java.util.Map;

/** Node-to-node messages. Each is a value: it crosses the wire through {@link MessageCodec}. */
sealed interface Msg {
  /**
   * Hands this message to its method of {@code handler}. Every type implements it and
   * {@link Handler} has a method per type, so a new message that nothing handles does not
   * compile (Java 17 has no exhaustive switch over a sealed type).
   */
  void sendTo(Handler handler, String from);

  /** One method per message type; {@code from} is the sender's address. */
  interface Handler {
    void onGossip(String from, Gossip m);

    void onForward(String from, Forward m);

    void onForwardReply(String from, ForwardReply m);

    void onReplicate(String from, Replicate m);

    void onReplicateAck(String from, ReplicateAck m);

    void onSyncRequest(String from, SyncRequest m);

    void onSyncReply(String from, SyncReply m);

    void onPull(String from, Pull m);

    void onPullReply(String from, PullReply m);

    void onReshardPrepare(String from, ReshardPrepare m);

    void onReshardData(String from, ReshardData m);

    void onReshardInstall(String from, ReshardInstall m);

    void onReshardInstalled(String from, ReshardInstalled m);

    void onReshardAbort(String from, ReshardAbort m);

    void onLeaving(String from, Leaving m);

    void onHandoff(String from, Handoff m);
  }

  /** One key's version, as shipped between replicas. */
  record Item(String key, StoredValue value) {}

  /** Heartbeat and membership gossip; {@code heardAgoMs} feeds indirect failure detection. */
  record Gossip(String incarnation, ClusterState state, Map<String, Long> heardAgoMs,
                boolean wantsReply) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onGossip(from, this);
    }
  }

  /**
   * A client request relayed to a member of the key's shard. {@code targetIncarnation} names
   * the run of the member it is meant for ("" when unknown): a restarted member has forgotten
   * which requests it executed, so it must not execute a repeat meant for its earlier run.
   */
  record Forward(long id, Request request, String targetIncarnation) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onForward(from, this);
    }

    Forward(long id, Request request) {
      this(id, request, "");
    }
  }

  /** The answer to a {@link Forward}; {@code refused} means "not serving that shard, try another". */
  record ForwardReply(long id, boolean refused, Reply reply) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onForwardReply(from, this);
    }
  }

  /** A write sent by its coordinator to the other members of its shard. */
  record Replicate(long id, long epoch, int shard, Item item, String writer, long counter,
                   CausalContext deps) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReplicate(from, this);
    }
  }

  record ReplicateAck(long id) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReplicateAck(from, this);
    }
  }

  /**
   * Anti-entropy and catch-up: "here are my bucket digests and the writes I hold; send the
   * versions of differing buckets that I lack".
   */
  record SyncRequest(long id, long epoch, int shard, long[] digest, DotSet have) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onSyncRequest(from, this);
    }
  }

  /** The differing buckets, plus the responder's applied dots and dependency summary. */
  record SyncReply(long id, long epoch, int shard, boolean caughtUp, List<Item> items, DotSet dots,
                   CausalContext deps) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onSyncReply(from, this);
    }
  }

  /**
   * A pull for the recent writes the asker lacks, because a request of its waits for them:
   * "here are the writes I hold; send the ones you applied lately that I lack".
   */
  record Pull(long id, long epoch, int shard, DotSet have) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onPull(from, this);
    }
  }

  /** The versions a pull asked for, and the dots the asker may record once it applied them. */
  record PullReply(long id, long epoch, int shard, List<Item> items, DotSet dots,
                   CausalContext deps) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onPullReply(from, this);
    }
  }

  /** Reshard phase one: stop serving writes and send me everything you hold. */
  record ReshardPrepare(long id, long newEpoch) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReshardPrepare(from, this);
    }
  }

  record ReshardData(long id, List<Item> items) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReshardData(from, this);
    }
  }

  /** Reshard phase two: install this membership and these keys of your new shard. */
  record ReshardInstall(long id, ClusterState state, List<Item> items) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReshardInstall(from, this);
    }
  }

  record ReshardInstalled(long id) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReshardInstalled(from, this);
    }
  }

  /** The coordinator gave up before installing anything: serve again under the old epoch. */
  record ReshardAbort(long id) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onReshardAbort(from, this);
    }
  }

  /**
   * A node shutting down says so, so that its peers stop waiting for it at once instead of
   * after {@code suspectAfterMs} of silence; it names its run, so a restart is told apart.
   */
  record Leaving(String incarnation) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onLeaving(from, this);
    }
  }

  /** Keys a node no longer owns, pushed to their new owners (no reply). */
  record Handoff(long epoch, int shard, List<Item> items) implements Msg {
    @Override
    public void sendTo(Handler handler, String from) {
      handler.onHandoff(from, this);
    }
  }
}
