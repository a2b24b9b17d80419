package io.kvs.testkit.sim;

import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Closed-loop client sessions that run inside the simulation: each sends one request at a
 * time to a random live node, passes back its latest metadata, writes unique values, and
 * records every operation in a {@link History}.
 */
public final class Workload {
  private final SimCluster cluster;
  private final History history;
  private final SplittableRandom random;
  private final List<String> keys = new ArrayList<>();
  private final Map<Integer, Pending> pending = new HashMap<>();
  private boolean running;
  private long answered;
  private long unavailable;

  private record Pending(int session, Operation.Kind kind, String key, String value, String node,
                         long invokeMs, CausalContext context) {}

  private final Map<Integer, CausalContext> contexts = new HashMap<>();
  private final Map<Integer, Integer> counters = new HashMap<>();

  public Workload(SimCluster cluster, History history, SplittableRandom random, int sessions, int keyCount) {
    this.cluster = cluster;
    this.history = history;
    this.random = random;
    for (int k = 0; k < keyCount; k++) {
      keys.add("key" + k);
    }
    for (int s = 0; s < sessions; s++) {
      contexts.put(s, CausalContext.none());
    }
    cluster.onCrash(this::lostWith);
  }

  public List<String> keys() {
    return keys;
  }

  /** Starts every session. */
  public void start() {
    running = true;
    contexts.keySet().forEach(s -> cluster.scheduler().schedule(random.nextLong(100), () -> next(s)));
  }

  /** Sessions finish their current request and send no more. */
  public void stop() {
    running = false;
  }

  public boolean idle() {
    return pending.isEmpty();
  }

  public long unavailableReplies() {
    return unavailable;
  }

  public long answered() {
    return answered;
  }

  private void next(int session) {
    List<String> live = cluster.liveAddresses();
    if (!running || live.isEmpty()) {
      return;
    }
    String node = live.get(random.nextInt(live.size()));
    String key = keys.get(random.nextInt(keys.size()));
    int roll = random.nextInt(10);
    Operation.Kind kind = roll < 5 ? Operation.Kind.PUT : roll < 9 ? Operation.Kind.GET : Operation.Kind.DELETE;
    issue(session, kind, key, node);
  }

  private void issue(int session, Operation.Kind kind, String key, String node) {
    String value = kind == Operation.Kind.PUT ? "\"s" + session + "-" + counters.merge(session, 1, Integer::sum) + "\"" : null;
    CausalContext ctx = contexts.get(session);
    Request request = switch (kind) {
      case PUT -> new Request.Put(key, value.getBytes(StandardCharsets.UTF_8), ctx);
      case GET -> new Request.Get(key, ctx);
      case DELETE -> new Request.Delete(key, ctx);
    };
    Pending p = new Pending(session, kind, key, value, node, cluster.nowMs(), ctx);
    pending.put(session, p);
    cluster.submit(node, request, reply -> complete(p, reply));
  }

  /** Reads every key once more through a fresh session (for the durability check). */
  public void finalReads(int session) {
    contexts.put(session, CausalContext.none());
    for (String key : keys) {
      String node = cluster.liveAddresses().get(random.nextInt(cluster.liveAddresses().size()));
      Reply[] reply = {null};
      Pending p = new Pending(session, Operation.Kind.GET, key, null, node, cluster.nowMs(), CausalContext.none());
      pending.put(session, p);
      cluster.submit(node, new Request.Get(key, CausalContext.none()), r -> {
        reply[0] = r;
        complete(p, r);
      });
      cluster.runUntil(() -> reply[0] != null, SimCluster.REQUEST_LIMIT_MS);
    }
  }

  private void complete(Pending p, Reply reply) {
    if (pending.get(p.session()) != p) {
      return;
    }
    pending.remove(p.session());
    answered++;
    Operation.Status status = statusOf(p.kind(), reply);
    String read = reply instanceof Reply.Kv kv && kv.value() != null ? new String(kv.value(), StandardCharsets.UTF_8) : null;
    if (reply instanceof Reply.Kv kv) {
      contexts.put(p.session(), kv.context());
    } else if (reply instanceof Reply.KeyMissing m) {
      contexts.put(p.session(), m.context());
    } else {
      unavailable++;
    }
    history.add(p.session(), p.kind(), p.key(), p.value(), read, status, p.node(), p.invokeMs(), cluster.nowMs(),
        p.context().toString(), describe(reply));
    cluster.scheduler().schedule(random.nextLong(30), () -> next(p.session()));
  }

  private static Operation.Status statusOf(Operation.Kind kind, Reply reply) {
    if (reply instanceof Reply.Kv) {
      return Operation.Status.OK;
    }
    if (reply instanceof Reply.KeyMissing) {
      return kind == Operation.Kind.GET ? Operation.Status.OK : Operation.Status.FAIL;
    }
    boolean unknown = reply instanceof Reply.Failed f
        && (f.error() == KvsError.SHARD_UNAVAILABLE || f.error() == KvsError.NODE_STOPPED);
    return unknown && kind != Operation.Kind.GET ? Operation.Status.INFO : Operation.Status.FAIL;
  }

  private static String describe(Reply reply) {
    if (reply instanceof Reply.Kv kv) {
      return kv.outcome() + " shard " + kv.shardId() + " " + kv.context();
    }
    return reply == null ? "no reply" : reply.toString();
  }

  /** A node crashed: requests waiting on it have an unknown outcome; their sessions go on. */
  private void lostWith(String address) {
    for (Pending p : List.copyOf(pending.values())) {
      if (p.node().equals(address)) {
        pending.remove(p.session());
        history.add(p.session(), p.kind(), p.key(), p.value(), null,
            p.kind() == Operation.Kind.GET ? Operation.Status.FAIL : Operation.Status.INFO,
            p.node(), p.invokeMs(), cluster.nowMs(), p.context().toString(), "node crashed");
        cluster.scheduler().schedule(random.nextLong(30), () -> next(p.session()));
      }
    }
  }
}
