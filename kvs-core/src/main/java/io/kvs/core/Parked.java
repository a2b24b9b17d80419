package io.kvs.core;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Requests that cannot be served yet (missing causal dependencies, a reshard under way).
 * Each waits a bounded time and is retried whenever the node's state changes.
 */
final class Parked {
  private record Waiting(Request request, Consumer<Reply> reply, Scheduler.Cancellable timer) {}

  private final NodeContext node;
  private final List<Waiting> waiting = new ArrayList<>();

  Parked(NodeContext node) {
    this.node = node;
  }

  /** Parks a request; after {@code timeoutMs} it is answered with {@code onTimeout}. */
  void park(Request request, Consumer<Reply> reply, long timeoutMs, KvsError onTimeout) {
    Waiting[] self = new Waiting[1];
    Scheduler.Cancellable timer = node.after(timeoutMs, () -> {
      if (waiting.remove(self[0])) {
        reply.accept(new Reply.Failed(onTimeout));
      }
    });
    self[0] = new Waiting(request, reply, timer);
    waiting.add(self[0]);
  }

  /** Hands every parked request that {@code ready} accepts back to {@code dispatch}. */
  void retry(Predicate<Request> ready, Dispatcher dispatch) {
    if (waiting.isEmpty()) {
      return;
    }
    List<Waiting> due = new ArrayList<>();
    for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
      Waiting w = it.next();
      if (ready.test(w.request())) {
        it.remove();
        w.timer().cancel();
        due.add(w);
      }
    }
    due.forEach(w -> dispatch.dispatch(w.request(), w.reply()));
  }

  /** Answers every waiting request with {@code reply} (the node is stopping). */
  void answerAll(Reply reply) {
    List<Waiting> all = new ArrayList<>(waiting);
    waiting.clear();
    all.forEach(w -> w.reply().accept(reply));
  }

  /** Re-dispatches a request. */
  @FunctionalInterface
  interface Dispatcher {
    void dispatch(Request request, Consumer<Reply> reply);
  }
}
