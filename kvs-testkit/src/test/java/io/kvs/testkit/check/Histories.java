package io.kvs.testkit.check;

import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.util.List;

/** Builds hand-made histories: one call per operation, times in order of the calls. */
final class Histories {
  private final History history = new History();
  private long clock;

  Histories put(int session, String key, String value) {
    return op(session, Operation.Kind.PUT, key, value, null, Operation.Status.OK);
  }

  Histories putUnknown(int session, String key, String value) {
    return op(session, Operation.Kind.PUT, key, value, null, Operation.Status.INFO);
  }

  Histories delete(int session, String key) {
    return op(session, Operation.Kind.DELETE, key, null, null, Operation.Status.OK);
  }

  Histories get(int session, String key, String value) {
    return op(session, Operation.Kind.GET, key, null, value, Operation.Status.OK);
  }

  private Histories op(int session, Operation.Kind kind, String key, String written, String read,
                       Operation.Status status) {
    long start = clock++;
    history.add(session, kind, key, written, read, status, "n1", start, clock++, "", "");
    return this;
  }

  List<Operation> ops() {
    return history.operations();
  }
}
