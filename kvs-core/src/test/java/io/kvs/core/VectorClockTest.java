package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.core.VectorClock.Order;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class VectorClockTest {

  /** Builds a clock from alternating writer ids and counters: vc("a", 1, "b", 2). */
  static VectorClock vc(Object... writerCounterPairs) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < writerCounterPairs.length; i += 2) {
      m.put((String) writerCounterPairs[i], ((Number) writerCounterPairs[i + 1]).longValue());
    }
    return VectorClock.of(m);
  }

  private static VectorClock randomClock(Random rnd) {
    Map<String, Long> m = new HashMap<>();
    for (String w : List.of("a", "b", "c", "d")) {
      if (rnd.nextBoolean()) {
        m.put(w, (long) rnd.nextInt(5));
      }
    }
    return VectorClock.of(m);
  }

  @Nested
  class Compare {
    @Test
    void identicalClocksAreEqual() {
      assertThat(vc("a", 1, "b", 2).compare(vc("b", 2, "a", 1))).isEqualTo(Order.EQUAL);
    }

    @Test
    void emptyClocksAreEqual() {
      assertThat(VectorClock.empty().compare(VectorClock.empty())).isEqualTo(Order.EQUAL);
      assertThat(VectorClock.empty().compare(VectorClock.of(Map.of()))).isEqualTo(Order.EQUAL);
    }

    @Test
    void emptyClockIsBeforeAnyNonEmptyClock() {
      assertThat(VectorClock.empty().compare(vc("a", 1))).isEqualTo(Order.BEFORE);
      assertThat(vc("a", 1).compare(VectorClock.empty())).isEqualTo(Order.AFTER);
    }

    @Test
    void smallerInOneEntryAndEqualElsewhereIsBefore() {
      assertThat(vc("a", 1, "b", 2).compare(vc("a", 2, "b", 2))).isEqualTo(Order.BEFORE);
      assertThat(vc("a", 2, "b", 2).compare(vc("a", 1, "b", 2))).isEqualTo(Order.AFTER);
    }

    @Test
    void missingEntryCountsAsZero() {
      // {a:1} vs {a:1, b:1}: b is 0 on the left, so left is strictly before.
      assertThat(vc("a", 1).compare(vc("a", 1, "b", 1))).isEqualTo(Order.BEFORE);
      assertThat(vc("a", 1, "b", 1).compare(vc("a", 1))).isEqualTo(Order.AFTER);
      // An explicit zero is the same as a missing entry.
      assertThat(vc("a", 1, "b", 0).compare(vc("a", 1))).isEqualTo(Order.EQUAL);
    }

    @Test
    void disjointWritersAreConcurrent() {
      assertThat(vc("a", 1).compare(vc("b", 1))).isEqualTo(Order.CONCURRENT);
      assertThat(vc("b", 1).compare(vc("a", 1))).isEqualTo(Order.CONCURRENT);
    }

    @Test
    void crossingEntriesAreConcurrent() {
      assertThat(vc("a", 2, "b", 1).compare(vc("a", 1, "b", 2))).isEqualTo(Order.CONCURRENT);
    }

    @Test
    void compareIsAntisymmetric() {
      Random rnd = new Random(7);
      for (int i = 0; i < 500; i++) {
        VectorClock x = randomClock(rnd);
        VectorClock y = randomClock(rnd);
        Order xy = x.compare(y);
        Order yx = y.compare(x);
        Order expected = switch (xy) {
          case BEFORE -> Order.AFTER;
          case AFTER -> Order.BEFORE;
          case EQUAL -> Order.EQUAL;
          case CONCURRENT -> Order.CONCURRENT;
        };
        assertThat(yx).as("%s vs %s", y, x).isEqualTo(expected);
        assertThat(xy == Order.EQUAL).isEqualTo(x.equals(y));
      }
    }

    @Test
    void dominatesOrEqualsHoldsExactlyWhenAfterOrEqual() {
      assertThat(vc("a", 2, "b", 1).dominatesOrEquals(vc("a", 1))).isTrue();
      assertThat(vc("a", 2).dominatesOrEquals(vc("a", 2))).isTrue();
      assertThat(vc("a", 2).dominatesOrEquals(vc("a", 1, "b", 1))).isFalse();
      assertThat(VectorClock.empty().dominatesOrEquals(vc("a", 1))).isFalse();
      assertThat(vc("a", 1).dominatesOrEquals(VectorClock.empty())).isTrue();
    }
  }

  @Nested
  class Merge {
    @Test
    void mergeIsEntryWiseMaximum() {
      VectorClock merged = vc("a", 3, "b", 1).merge(vc("b", 4, "c", 2));
      assertThat(merged.entries()).containsExactly(
          Map.entry("a", 3L), Map.entry("b", 4L), Map.entry("c", 2L));
    }

    @Test
    void mergeWithEmptyIsIdentity() {
      VectorClock x = vc("a", 3, "b", 1);
      assertThat(x.merge(VectorClock.empty())).isEqualTo(x);
      assertThat(VectorClock.empty().merge(x)).isEqualTo(x);
    }

    @Test
    void mergeIsCommutativeAssociativeAndIdempotent() {
      Random rnd = new Random(42);
      for (int i = 0; i < 500; i++) {
        VectorClock x = randomClock(rnd);
        VectorClock y = randomClock(rnd);
        VectorClock z = randomClock(rnd);
        assertThat(x.merge(y)).as("commutative %s %s", x, y).isEqualTo(y.merge(x));
        assertThat(x.merge(y).merge(z)).as("associative").isEqualTo(x.merge(y.merge(z)));
        assertThat(x.merge(x)).as("idempotent").isEqualTo(x);
        // The merge is an upper bound of both inputs.
        assertThat(x.merge(y).dominatesOrEquals(x)).isTrue();
        assertThat(x.merge(y).dominatesOrEquals(y)).isTrue();
      }
    }

    @Test
    void mergeLeavesBothInputsUnchanged() {
      VectorClock x = vc("a", 3, "b", 1);
      VectorClock y = vc("b", 4, "c", 2);
      x.merge(y);
      assertThat(x.entries()).containsExactly(Map.entry("a", 3L), Map.entry("b", 1L));
      assertThat(y.entries()).containsExactly(Map.entry("b", 4L), Map.entry("c", 2L));
    }
  }

  @Nested
  class Increment {
    @Test
    void incrementRaisesOnlyThatWriterByOne() {
      VectorClock x = vc("a", 3, "b", 1);
      VectorClock y = x.increment("a");
      assertThat(y.get("a")).isEqualTo(4);
      assertThat(y.get("b")).isEqualTo(1);
      assertThat(y.compare(x)).isEqualTo(Order.AFTER);
    }

    @Test
    void incrementOfAbsentWriterStartsAtOne() {
      VectorClock y = VectorClock.empty().increment("n1");
      assertThat(y.get("n1")).isEqualTo(1);
      assertThat(y.size()).isEqualTo(1);
    }

    @Test
    void incrementReturnsNewClockAndLeavesOriginalUnchanged() {
      VectorClock x = vc("a", 3);
      VectorClock y = x.increment("a");
      assertThat(x.get("a")).isEqualTo(3);
      assertThat(y).isNotSameAs(x);
      assertThat(VectorClock.empty().increment("a")).isNotSameAs(VectorClock.empty());
      assertThat(VectorClock.empty().isEmpty()).isTrue();
    }

    @Test
    void withOnlyRaisesCounters() {
      VectorClock x = vc("a", 3);
      assertThat(x.with("a", 2)).isEqualTo(x);
      assertThat(x.with("a", 5).get("a")).isEqualTo(5);
      assertThat(x.get("a")).isEqualTo(3);
    }
  }

  @Nested
  class Construction {
    @Test
    void getOfMissingWriterIsZero() {
      assertThat(vc("a", 1).get("zzz")).isZero();
      assertThat(VectorClock.empty().get("a")).isZero();
    }

    @Test
    void zeroCountersAreDropped() {
      VectorClock x = vc("a", 0, "b", 2);
      assertThat(x.entries()).containsOnlyKeys("b");
      assertThat(x.size()).isEqualTo(1);
      assertThat(vc("a", 0).isEmpty()).isTrue();
      assertThat(vc("a", 0)).isEqualTo(VectorClock.empty());
    }

    @Test
    void rejectsNegativeCounter() {
      assertThatThrownBy(() -> vc("a", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsEmptyWriterId() {
      assertThatThrownBy(() -> vc("", 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNullCounter() {
      Map<String, Long> m = new HashMap<>();
      m.put("a", null);
      assertThatThrownBy(() -> VectorClock.of(m)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isACopyOfTheInputMap() {
      Map<String, Long> m = new TreeMap<>(Map.of("a", 1L));
      VectorClock x = VectorClock.of(m);
      m.put("a", 9L);
      m.put("b", 1L);
      assertThat(x.entries()).containsExactly(Map.entry("a", 1L));
    }

    @Test
    void entriesAreSortedAndUnmodifiable() {
      VectorClock x = vc("c", 1, "a", 2, "b", 3);
      assertThat(x.entries().keySet()).containsExactly("a", "b", "c");
      assertThatThrownBy(() -> x.entries().put("d", 1L))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(x.get("d")).isZero();
    }
  }

  @Nested
  class Equality {
    @Test
    void equalClocksHaveEqualHashCodes() {
      VectorClock x = vc("a", 1, "b", 2);
      VectorClock y = VectorClock.empty().with("b", 2).increment("a");
      assertThat(x).isEqualTo(y);
      assertThat(x.hashCode()).isEqualTo(y.hashCode());
    }

    @Test
    void differentCountersAreNotEqual() {
      assertThat(vc("a", 1)).isNotEqualTo(vc("a", 2));
      assertThat(vc("a", 1)).isNotEqualTo(vc("b", 1));
      assertThat(vc("a", 1)).isNotEqualTo(VectorClock.empty());
      assertThat(vc("a", 1)).isNotEqualTo("{a=1}");
    }

    @Test
    void toStringIsDeterministicAndSorted() {
      assertThat(vc("b", 2, "a", 1)).hasToString("{a=1, b=2}");
    }
  }
}
