package io.kvs.testkit.check;

import io.kvs.testkit.history.Operation;
import java.util.Collection;

/**
 * Whether a read result is older than writes it must reflect: shared by the session
 * causality (G1) and durability (G3) checkers.
 */
final class Staleness {
  private Staleness() {}

  /**
   * The write of {@code mustSee} that {@code read} fails to reflect, or null if it reflects
   * them all. A value reflects a write unless it is in that write's causal past; a miss
   * reflects a put only if some delete of the key is not in that put's causal past.
   */
  static Operation missedWrite(CausalOrder order, Operation read, Operation source, Collection<Operation> mustSee) {
    for (Operation w : mustSee) {
      if (!w.key().equals(read.key()) || w == source) {
        continue;
      }
      if (source != null && order.before(source, w)) {
        return w;
      }
      if (source == null && w.kind() == Operation.Kind.PUT && !someDeleteNotBefore(order, w)) {
        return w;
      }
    }
    return null;
  }

  private static boolean someDeleteNotBefore(CausalOrder order, Operation put) {
    for (Operation d : order.writes()) {
      if (d.kind() == Operation.Kind.DELETE && d.key().equals(put.key()) && !order.before(d, put)) {
        return true;
      }
    }
    return false;
  }
}
