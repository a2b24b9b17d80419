package io.kvs.testkit.sim;

import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.nio.charset.StandardCharsets;

/**
 * Turns each {@link SimSession} operation into a {@link History} entry for the checkers:
 * what was written or read, and whether the write took effect (OK), certainly did not (FAIL),
 * or may have (INFO: the cluster was unavailable or too few replicas acknowledged).
 */
final class SessionRecorder {
  private final History history = new History();
  private final boolean enabled;

  SessionRecorder(boolean enabled) {
    this.enabled = enabled;
  }

  History history() {
    return history;
  }

  boolean enabled() {
    return enabled;
  }

  void record(int session, Operation.Kind kind, String key, String written, Reply reply, String node,
              long invokedMs, long completedMs, CausalContext sent) {
    if (!enabled) {
      return;
    }
    String read = kind == Operation.Kind.GET && reply instanceof Reply.Kv kv && kv.value() != null
        ? new String(kv.value(), StandardCharsets.UTF_8) : null;
    history.add(session, kind, key, written, read, statusOf(kind, reply), node, invokedMs, completedMs,
        sent.toString(), String.valueOf(reply));
  }

  static Operation.Status statusOf(Operation.Kind kind, Reply reply) {
    if (reply instanceof Reply.Kv) {
      return Operation.Status.OK;
    }
    if (reply instanceof Reply.KeyMissing) {
      // a read that finds nothing succeeded; a delete of a missing key changed nothing
      return kind == Operation.Kind.GET ? Operation.Status.OK : Operation.Status.FAIL;
    }
    boolean mayHaveApplied = reply instanceof Reply.Failed f && (f.error() == KvsError.SHARD_UNAVAILABLE
        || f.error() == KvsError.NODE_STOPPED || f.error() == KvsError.TOO_FEW_REPLICAS);
    return mayHaveApplied && kind != Operation.Kind.GET ? Operation.Status.INFO : Operation.Status.FAIL;
  }
}
