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
  private static final int RECENT_LIMIT = 4096;

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
  /** Relayed requests seen lately, so a duplicated message is not executed twice. */
  private final LinkedHashMap<String, Reply> recent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Reply> eldest) {
      return size() > RECENT_LIMIT;
    }
  };

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
    node.send(target, new Msg.Forward(o.id, o.request));
    boolean write = o.request instanceof Request.Put || o.request instanceof Request.Delete;
    long timeout = write ? node.settings.forwardTimeoutMs() : Math.max(1, node.settings.forwardTimeoutMs() / 2);
    o.timer = node.after(timeout, () -> {
      if (outgoing.get(o.id) != o) {
        return;
      }
      if (write) {
        outgoing.remove(o.id);
        o.onReply.accept(new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
      } else {
        tryNext(o);
      }
    });
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
    String key = from + "#" + m.id();
    if (recent.containsKey(key)) {
      Reply done = recent.get(key);
      if (done != null) {
        node.send(from, new Msg.ForwardReply(m.id(), false, done));
      }
      return;
    }
    boolean accepted = serve.serve(m.request(), reply -> {
      recent.put(key, reply);
      node.send(from, new Msg.ForwardReply(m.id(), false, reply));
    });
    if (accepted) {
      recent.putIfAbsent(key, null);
    } else {
      node.send(from, new Msg.ForwardReply(m.id(), true, null));
    }
  }

  /** Serves a relayed request locally if this node may; false means "ask another member". */
  @FunctionalInterface
  interface Server {
    boolean serve(Request request, Consumer<Reply> onReply);
  }
}
