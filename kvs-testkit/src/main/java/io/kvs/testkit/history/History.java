package io.kvs.testkit.history;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;

/**
 * Every client operation of a run, in completion order, plus a short ring of the latest
 * events (faults, membership operations) so a violation report can show what led to it.
 */
public final class History {
  private static final int RECENT_EVENTS = 30;

  private final List<Operation> operations = new ArrayList<>();
  private final Deque<String> recent = new ArrayDeque<>();

  /** Appends a completed operation, giving it the next id. */
  public synchronized Operation add(int session, Operation.Kind kind, String key, String written, String read,
                                    Operation.Status status, String node, long invokeMs, long completeMs,
                                    String requestContext, String reply) {
    Operation op = new Operation(operations.size(), session, kind, key, written, read, status, node,
        invokeMs, completeMs, requestContext, reply);
    operations.add(op);
    return op;
  }

  /** Notes an event such as a fault; only the latest few are kept. */
  public synchronized void event(long timeMs, String what) {
    recent.addLast(timeMs + "ms " + what);
    while (recent.size() > RECENT_EVENTS) {
      recent.removeFirst();
    }
  }

  public synchronized List<Operation> operations() {
    return Collections.unmodifiableList(new ArrayList<>(operations));
  }

  public synchronized List<String> recentEvents() {
    return List.copyOf(recent);
  }
}
