package io.kvs.testkit.check;

import io.kvs.testkit.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * G3: every acknowledged write, or a causally later one, is readable after the cluster has
 * healed. {@code history} must end with a final read of every written key; the last read of
 * each key is what "readable after heal" means.
 */
public final class DurabilityChecker {
  public static final String NAME = "G3 no lost acknowledged write";

  public List<Violation> check(List<Operation> history) {
    CausalOrder order = CausalOrder.of(history);
    Map<String, List<Operation>> acked = new TreeMap<>();
    for (Operation op : history) {
      if (op.kind() != Operation.Kind.GET && op.status() == Operation.Status.OK) {
        acked.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
      }
    }
    Map<String, CausalOrder.ObservedRead> last = new TreeMap<>();
    order.reads().forEach(r -> last.put(r.read().key(), r));
    List<Violation> found = new ArrayList<>();
    acked.forEach((key, writes) -> {
      CausalOrder.ObservedRead r = last.get(key);
      if (r == null) {
        found.add(new Violation(NAME, "no final read of " + key, writes.subList(0, 1)));
        return;
      }
      Operation missed = r.read().read() != null && r.source() == null ? r.read()
          : Staleness.missedWrite(order, r.read(), r.source(), writes);
      if (missed != null) {
        String got = r.read().read() == null ? "missing" : r.read().read();
        found.add(new Violation(NAME, "acknowledged write #" + missed.id() + " of " + key
            + " is lost: the final read returned " + got, List.of(missed, r.read())));
      }
    });
    return found;
  }
}
