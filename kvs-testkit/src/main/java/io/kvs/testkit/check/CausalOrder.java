package io.kvs.testkit.check;

import io.kvs.testkit.history.Operation;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The causal order of a history's writes. A write's causal past is its session's past when
 * it was invoked: the session's earlier writes and the writes whose values it read, with
 * their pasts. Values are unique per write, so every read maps to exactly one write.
 *
 * <p>Events are replayed in time order (completions before invocations at the same instant);
 * every successful read is kept with the session's causal past at that point.
 */
public final class CausalOrder {
  /** A successful read, the write it returned (null for a miss) and its session's past. */
  public record ObservedRead(Operation read, Operation source, List<Operation> sessionPast) {}

  private final List<ObservedRead> reads = new ArrayList<>();

  private final List<Operation> writes = new ArrayList<>();
  private final Map<Integer, Integer> writeIndexOfOp = new HashMap<>();
  private final Map<String, Integer> writeOfValue = new HashMap<>();
  private final List<BitSet> pasts = new ArrayList<>();

  private CausalOrder(List<Operation> history) {
    for (Operation op : history) {
      if (op.mayHaveWritten()) {
        writeIndexOfOp.put(op.id(), writes.size());
        writes.add(op);
        pasts.add(null);
        if (op.written() != null) {
          writeOfValue.put(op.written(), writes.size() - 1);
        }
      }
    }
    replay(history);
  }

  /** The causal order of {@code history}'s writes and its observed reads. */
  public static CausalOrder of(List<Operation> history) {
    return new CausalOrder(history);
  }

  /** Every successful read with its session's causal past, in completion order. */
  public List<ObservedRead> reads() {
    return reads;
  }

  private List<Operation> writesIn(BitSet bits) {
    List<Operation> ops = new ArrayList<>(bits.cardinality());
    bits.stream().forEach(i -> ops.add(writes.get(i)));
    return ops;
  }

  private void replay(List<Operation> history) {
    record Event(long timeMs, int phase, Operation op) {}
    List<Event> events = new ArrayList<>();
    for (Operation op : history) {
      events.add(new Event(op.invokeMs(), 1, op));
      events.add(new Event(op.completeMs(), 0, op));
    }
    events.sort(Comparator.comparingLong(Event::timeMs).thenComparingInt(Event::phase)
        .thenComparingInt(e -> e.op().id()));
    Map<Integer, BitSet> sessionPast = new HashMap<>();
    for (Event e : events) {
      BitSet past = sessionPast.computeIfAbsent(e.op().session(), s -> new BitSet());
      Integer w = writeIndexOfOp.get(e.op().id());
      if (e.phase() == 1) {
        if (w != null && pasts.get(w) == null) {
          pasts.set(w, (BitSet) past.clone());
        }
        continue;
      }
      if (w != null && pasts.get(w) == null) {
        pasts.set(w, (BitSet) past.clone()); // completed in the instant it was invoked
      }
      if (w != null) {
        // A write of unknown outcome may never have happened: it joins a session's past
        // only through a read that returns it.
        if (e.op().status() == Operation.Status.OK) {
          past.set(w);
          past.or(pasts.get(w));
        }
      } else if (e.op().kind() == Operation.Kind.GET && e.op().status() == Operation.Status.OK) {
        Operation source = sourceOf(e.op());
        reads.add(new ObservedRead(e.op(), source, writesIn(past)));
        Integer s = source == null ? null : writeIndexOfOp.get(source.id());
        if (s != null && pasts.get(s) != null) {
          past.set(s);
          past.or(pasts.get(s));
        }
      }
    }
  }

  /** The write whose value {@code read} returned; null for a miss or an unknown value. */
  public Operation sourceOf(Operation read) {
    Integer w = read.read() == null ? null : writeOfValue.get(read.read());
    return w == null ? null : writes.get(w);
  }

  /** True when write {@code a} is in the causal past of write {@code b}. */
  public boolean before(Operation a, Operation b) {
    Integer ia = writeIndexOfOp.get(a.id());
    Integer ib = writeIndexOfOp.get(b.id());
    BitSet past = ib == null ? null : pasts.get(ib);
    return ia != null && past != null && past.get(ia);
  }

  /** The write with index {@code i} in {@link #writes()}. */
  public Operation write(int i) {
    return writes.get(i);
  }

  /** Every write that may have happened, in history order. */
  public List<Operation> writes() {
    return writes;
  }

  /** True once the write's invocation has been replayed (its past is known). */
  public boolean known(Operation write) {
    Integer i = writeIndexOfOp.get(write.id());
    return i != null && pasts.get(i) != null;
  }
}
