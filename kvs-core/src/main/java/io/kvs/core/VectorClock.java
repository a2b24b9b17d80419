package io.kvs.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An immutable vector clock: a counter per writer. Missing writers count as zero.
 *
 * <p>Entries are kept sorted by writer id so that iteration, encoding and {@link #toString()}
 * are deterministic, which the simulator relies on to replay a run byte for byte.
 */
public final class VectorClock {
  /** How two clocks relate. */
  public enum Order { BEFORE, AFTER, EQUAL, CONCURRENT }

  private static final VectorClock EMPTY = new VectorClock(new TreeMap<>());

  private final SortedMap<String, Long> counters;

  private VectorClock(SortedMap<String, Long> counters) {
    this.counters = counters;
  }

  /** The clock with no entries. */
  public static VectorClock empty() {
    return EMPTY;
  }

  /**
   * A clock holding the given counters; zero counters are dropped.
   *
   * @throws IllegalArgumentException if a counter is negative or a writer id is empty
   */
  public static VectorClock of(Map<String, Long> counters) {
    TreeMap<String, Long> copy = new TreeMap<>();
    counters.forEach((writer, count) -> {
      if (writer == null || writer.isEmpty() || count == null || count < 0) {
        throw new IllegalArgumentException("vector clock entries need a writer id and a non-negative counter");
      }
      if (count > 0) {
        copy.put(writer, count);
      }
    });
    return copy.isEmpty() ? EMPTY : new VectorClock(copy);
  }

  /** The counter of {@code writer}, zero when absent. */
  public long get(String writer) {
    return counters.getOrDefault(writer, 0L);
  }

  /** The entries, sorted by writer id; unmodifiable. */
  public Map<String, Long> entries() {
    return Collections.unmodifiableSortedMap(counters);
  }

  /** True when no writer has a positive counter. */
  public boolean isEmpty() {
    return counters.isEmpty();
  }

  /** Number of writers with a positive counter. */
  public int size() {
    return counters.size();
  }

  /** This clock with {@code writer}'s counter raised by one. */
  public VectorClock increment(String writer) {
    return with(writer, get(writer) + 1);
  }

  /** This clock with {@code writer}'s counter set to {@code count} if that is higher. */
  public VectorClock with(String writer, long count) {
    if (count <= get(writer)) {
      return this;
    }
    TreeMap<String, Long> copy = new TreeMap<>(counters);
    copy.put(writer, count);
    return new VectorClock(copy);
  }

  /** The entry-wise maximum of the two clocks. */
  public VectorClock merge(VectorClock other) {
    if (other.dominatesOrEquals(this)) {
      return other;
    }
    if (this.dominatesOrEquals(other)) {
      return this;
    }
    TreeMap<String, Long> copy = new TreeMap<>(counters);
    other.counters.forEach((writer, count) -> copy.merge(writer, count, Math::max));
    return new VectorClock(copy);
  }

  /** True when every counter of {@code other} is at most the same counter here. */
  public boolean dominatesOrEquals(VectorClock other) {
    for (Map.Entry<String, Long> e : other.counters.entrySet()) {
      if (get(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** How this clock relates to {@code other}. */
  public Order compare(VectorClock other) {
    boolean geq = dominatesOrEquals(other);
    boolean leq = other.dominatesOrEquals(this);
    if (geq && leq) {
      return Order.EQUAL;
    }
    if (geq) {
      return Order.AFTER;
    }
    return leq ? Order.BEFORE : Order.CONCURRENT;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorClock other && counters.equals(other.counters);
  }

  @Override
  public int hashCode() {
    return Objects.hash(counters);
  }

  @Override
  public String toString() {
    return counters.toString();
  }
}
