package io.kvs.core;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BiConsumer;

/**
 * The writes (dots: writer, counter) a replica has applied in the current epoch. Dots may
 * arrive out of order, so per writer it keeps the contiguous prefix plus the dots beyond a
 * gap; only the prefix counts when checking causal dependencies.
 */
final class DotSet {
  private final Map<String, Long> prefix = new HashMap<>();
  private final Map<String, TreeSet<Long>> beyond = new HashMap<>();

  /** Records dot {@code (writer, counter)}; false if it was already there. */
  boolean add(String writer, long counter) {
    long p = prefix.getOrDefault(writer, 0L);
    if (counter <= p) {
      return false;
    }
    if (counter == p + 1) {
      prefix.put(writer, absorb(writer, counter));
      return true;
    }
    return beyond.computeIfAbsent(writer, w -> new TreeSet<>()).add(counter);
  }

  private long absorb(String writer, long upTo) {
    TreeSet<Long> rest = beyond.get(writer);
    long p = upTo;
    while (rest != null && rest.remove(p + 1)) {
      p++;
    }
    if (rest != null && rest.isEmpty()) {
      beyond.remove(writer);
    }
    return p;
  }

  /** True when dot {@code (writer, counter)} is recorded. */
  boolean contains(String writer, long counter) {
    if (counter <= prefix.getOrDefault(writer, 0L)) {
      return true;
    }
    TreeSet<Long> rest = beyond.get(writer);
    return rest != null && rest.contains(counter);
  }

  /** Adds every dot of {@code other}. */
  void addAll(DotSet other) {
    other.prefix.forEach((writer, p) -> {
      if (p > prefix.getOrDefault(writer, 0L)) {
        TreeSet<Long> rest = beyond.get(writer);
        if (rest != null) {
          rest.headSet(p, true).clear();
        }
        prefix.put(writer, absorb(writer, p));
      }
    });
    other.beyond.forEach((writer, dots) -> dots.forEach(d -> add(writer, d)));
  }

  /**
   * Visits every dot recorded here that {@code other} lacks, unless there may be more than
   * {@code limit} of them: then it visits none and returns false.
   */
  boolean forEachMissingFrom(DotSet other, int limit, BiConsumer<String, Long> visit) {
    long bound = 0;
    for (Map.Entry<String, Long> e : prefix.entrySet()) {
      bound += Math.max(0, e.getValue() - other.prefixOf(e.getKey()));
    }
    for (Map.Entry<String, TreeSet<Long>> e : beyond.entrySet()) {
      // only the gap dots the other lacks count: a permanent gap must not force the full exchange
      for (Long c : e.getValue()) {
        if (bound > limit) {
          return false;
        }
        bound += other.contains(e.getKey(), c) ? 0 : 1;
      }
    }
    if (bound > limit) {
      return false;
    }
    prefix.forEach((writer, p) -> {
      for (long c = other.prefixOf(writer) + 1; c <= p; c++) {
        if (!other.contains(writer, c)) {
          visit.accept(writer, c);
        }
      }
    });
    beyond.forEach((writer, rest) -> rest.stream().filter(c -> !other.contains(writer, c))
        .forEach(c -> visit.accept(writer, c)));
    return true;
  }

  /** The contiguous prefix per writer: every write it covers has been applied here. */
  VectorClock clock() {
    return VectorClock.of(prefix);
  }

  /** {@code writer}'s contiguous prefix: the same as {@code clock().get(writer)}, without a copy. */
  long prefixOf(String writer) {
    return prefix.getOrDefault(writer, 0L);
  }

  /** Dots beyond the prefix, by writer, sorted (for encoding). */
  TreeMap<String, TreeSet<Long>> gaps() {
    TreeMap<String, TreeSet<Long>> copy = new TreeMap<>();
    beyond.forEach((writer, dots) -> copy.put(writer, new TreeSet<>(dots)));
    return copy;
  }

  /** Rebuilds a set from a prefix clock and the dots beyond it. */
  static DotSet of(VectorClock clock, Map<String, TreeSet<Long>> gaps) {
    DotSet set = new DotSet();
    set.prefix.putAll(clock.entries());
    gaps.forEach((writer, dots) -> dots.forEach(d -> set.add(writer, d)));
    return set;
  }

  void clear() {
    prefix.clear();
    beyond.clear();
  }
}
