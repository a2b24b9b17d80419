package io.kvs.core;

/** Hands each decoded message to the node's handler for its type. */
final class MessageRouter {
  private MessageRouter() {}

  static void route(KvsNode n, String from, Msg msg) {
    if (msg instanceof Msg.Gossip m) {
      n.onGossip(from, m);
    } else if (msg instanceof Msg.Forward m) {
      n.onForward(from, m);
    } else if (msg instanceof Msg.ForwardReply m) {
      n.onForwardReply(m);
    } else if (msg instanceof Msg.Replicate m) {
      n.onReplicate(from, m);
    } else if (msg instanceof Msg.ReplicateAck m) {
      n.onReplicateAck(from, m);
    } else if (msg instanceof Msg.SyncRequest m) {
      n.onSyncRequest(from, m);
    } else if (msg instanceof Msg.SyncReply m) {
      n.onSyncReply(from, m);
    } else if (msg instanceof Msg.Pull m) {
      n.onPull(from, m);
    } else if (msg instanceof Msg.PullReply m) {
      n.onPullReply(from, m);
    } else if (msg instanceof Msg.ReshardPrepare m) {
      n.onReshardPrepare(from, m);
    } else if (msg instanceof Msg.ReshardData m) {
      n.onReshardData(from, m);
    } else if (msg instanceof Msg.ReshardInstall m) {
      n.onReshardInstall(from, m);
    } else if (msg instanceof Msg.ReshardInstalled m) {
      n.onReshardInstalled(from, m);
    } else if (msg instanceof Msg.ReshardAbort m) {
      n.onReshardAbort(m);
    } else if (msg instanceof Msg.Leaving m) {
      n.onLeaving(from, m);
    } else if (msg instanceof Msg.Handoff m) {
      n.onHandoff(m);
    }
  }
}
