package io.kvs.testkit.check;

import io.kvs.testkit.history.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * G1: a read in a session returns a value no older than every write in the session's causal
 * past (its own writes, the writes it read, and transitively theirs), across all shards.
 * Also flags reads of values no write ever produced.
 */
public final class SessionCausalityChecker {
  public static final String NAME = "G1 session causality";

  /** Every violation in {@code history}. */
  public List<Violation> check(List<Operation> history) {
    CausalOrder order = CausalOrder.of(history);
    List<Violation> found = new ArrayList<>();
    for (CausalOrder.ObservedRead r : order.reads()) {
      Operation read = r.read();
      if (read.read() != null && r.source() == null) {
        found.add(new Violation(NAME, "read of " + read.key() + " returned a value no write produced", List.of(read)));
        continue;
      }
      Operation missed = Staleness.missedWrite(order, read, r.source(), r.sessionPast());
      if (missed != null) {
        String got = r.source() == null ? "missing" : "the value of #" + r.source().id();
        found.add(new Violation(NAME, "stale read: " + read.key() + " returned " + got
            + " although the session's causal past holds #" + missed.id(),
            r.source() == null ? List.of(read, missed) : List.of(read, missed, r.source())));
      }
    }
    return found;
  }
}
