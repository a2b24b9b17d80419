package io.kvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Relays requests to members of the key's shard and answers relayed requests.
 *
 * <p>Reads move on to the next member when one does not answer in time. A write is sent to
 * one member only (a different member would give it a second version), unless that member
 * refuses it unexecuted; if it times out, the client gets a 503 and decides itself.
 */
final class Forwarder {
  private final class Outgoing {
    final long id = node.nextId();
    final Request request;
    final Consumer<Reply> onReply;
    final List<String> candidates;
    int next;
    Scheduler.Cancellable timer;

    Outgoing(Request request, Consumer<Reply> onReply, List<String> candidates) {
      this.request = request;
      this.onReply = onReply;
      this.candidates = candidates;
    }
  }

  private final NodeContext node;
  private final Membership membership;
  private final Map<Long, Outgoing> outgoing = new HashMap<>();
  /**
   * A relayed request seen lately: its answer once known (null while it runs, or if refused),
   * whether it was refused, and when.
   */
  private record Seen(Reply reply, boolean refused, long atMs) {}

  /**
   * Relayed requests seen lately, in arrival order, so a repeated or duplicated message is
   * answered, not executed twice. Kept for twice the forward timeout, the longest a sender
   * repeats a request.
   */
  private final LinkedHashMap<String, Seen> recent = new LinkedHashMap<>();

  Forwarder(NodeContext node, Membership membership) {
    this.node = node;
    this.membership = membership;
  }

  void forward(int shard, Request request, Consumer<Reply> onReply) {
    List<String> fresh = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (String m : membership.state().shardMap().members(shard)) {
      if (!m.equals(node.address)) {
        (membership.suspected(m) ? stale : fresh).add(m);
      }
    }
    shuffle(fresh);
    fresh.addAll(stale);
    if (fresh.isEmpty()) {
      onReply.accept(new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
      return;
    }
    Outgoing o = new Outgoing(request, onReply, fresh);
    outgoing.put(o.id, o);
    tryNext(o);
  }

  private void shuffle(List<String> list) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = node.random.nextInt(i + 1);
      list.set(i, list.set(j, list.get(i)));
    }
  }

  private void tryNext(Outgoing o) {
    if (o.next >= o.candidates.size()) {
      outgoing.remove(o.id);
      o.onReply.accept(new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
      return;
    }
    String target = o.candidates.get(o.next++);
    boolean write = isWrite(o.request);
    long timeout = write ? node.settings.forwardTimeoutMs() : Math.max(1, node.settings.forwardTimeoutMs() / 2);
    long giveUpAt = node.now() + timeout;
    MemberRecord record = membership.state().records.get(target);
    resendUntil(o, target, record == null ? "" : record.incarnation(), giveUpAt, write);
  }

  /**
   * Sends the request to {@code target} and again every quarter of the timeout: a lost frame
   * must not cost the whole timeout, and the target answers a repeat of the same id from its
   * memory of relayed requests instead of executing it twice.
   */
  private void resendUntil(Outgoing o, String target, String incarnation, long giveUpAt, boolean write) {
    node.send(target, new Msg.Forward(o.id, o.request, incarnation));
    // Repeat only to the run of the target the first copy went to (pinned when it was sent):
    // a repeat reaching a restarted target would be executed a second time.
    boolean mayRepeat = !incarnation.isEmpty();
    long step = Math.max(1, node.settings.forwardTimeoutMs() / 4);
    long wait = mayRepeat ? Math.min(step, Math.max(1, giveUpAt - node.now())) : Math.max(1, giveUpAt - node.now());
    o.timer = node.after(wait, () -> {
      if (outgoing.get(o.id) != o) {
        return;
      }
      if (node.now() < giveUpAt) {
        resendUntil(o, target, incarnation, giveUpAt, write);
      } else if (write) {
        outgoing.remove(o.id);
        o.onReply.accept(new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
      } else {
        tryNext(o);
      }
    });
  }

  private static boolean isWrite(Request request) {
    return request instanceof Request.Put || request instanceof Request.Delete;
  }

  /** Answers every relayed request still waiting with {@code reply} (the node is stopping). */
  void answerAll(Reply reply) {
    List<Outgoing> all = new ArrayList<>(outgoing.values());
    outgoing.clear();
    all.forEach(o -> o.onReply.accept(reply));
  }

  /**
   * {@code address} is shutting down: reads waiting for it move on to the next member now.
   * A write waits for its answer or its timeout, since it may have been executed there.
   */
  void peerLeft(String address) {
    for (Outgoing o : new ArrayList<>(outgoing.values())) {
      if (!isWrite(o.request) && o.next > 0 && o.candidates.get(o.next - 1).equals(address)) {
        o.timer.cancel();
        tryNext(o);
      }
    }
  }

  void onReply(Msg.ForwardReply m) {
    Outgoing o = outgoing.get(m.id());
    if (o == null) {
      return;
    }
    o.timer.cancel();
    if (m.refused()) {
      tryNext(o);
    } else {
      outgoing.remove(m.id());
      o.onReply.accept(m.reply());
    }
  }

  /**
   * A relayed request arrived: answer a duplicate from memory, refuse when {@code serve}
   * declines (not a caught-up member of the shard), else execute it once.
   */
  void onForward(String from, Msg.Forward m, Server serve) {
    if (!m.targetIncarnation().isEmpty() && !m.targetIncarnation().equals(node.incarnation)) {
      return; // meant for an earlier run of this node, which may have executed it
    }
    forgetOld();
    String key = from + "#" + m.id();
    Seen seen = recent.get(key);
    if (seen != null) {
      if (seen.refused() || seen.reply() != null) {
        node.send(from, new Msg.ForwardReply(m.id(), seen.refused(), seen.reply()));
      }
      return;
    }
    recent.put(key, new Seen(null, false, node.now()));
    boolean accepted = serve.serve(m.request(), reply -> {
      recent.put(key, new Seen(reply, false, node.now()));
      node.send(from, new Msg.ForwardReply(m.id(), false, reply));
    });
    if (!accepted) {
      // A refusal stands for every copy of this request: the sender moves on to another
      // member, so executing a late copy here too would run the write twice (seed 10594: a
      // restarted member refused a delete before it caught up, then ran a duplicate of it,
      // and the next member answered the client 404 for a delete that had happened).
      recent.put(key, new Seen(null, true, node.now()));
      node.send(from, new Msg.ForwardReply(m.id(), true, null));
    }
  }

  private void forgetOld() {
    long horizon = node.now() - 2 * node.settings.forwardTimeoutMs();
    for (var it = recent.values().iterator(); it.hasNext(); ) {
      if (it.next().atMs() >= horizon) {
        break;
      }
      it.remove();
    }
  }

  /** Serves a relayed request locally if this node may; false means "ask another member". */
  @FunctionalInterface
  interface Server {
    boolean serve(Request request, Consumer<Reply> onReply);
  }
}
