package io.kvs.core;

import static io.kvs.core.VectorClockTest.vc;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class DotSetTest {

  private static TreeSet<Long> longs(long... values) {
    TreeSet<Long> set = new TreeSet<>();
    for (long v : values) {
      set.add(v);
    }
    return set;
  }

  @Test
  void newSetIsEmpty() {
    DotSet set = new DotSet();
    assertThat(set.clock()).isEqualTo(VectorClock.empty());
    assertThat(set.gaps()).isEmpty();
    assertThat(set.contains("a", 1)).isFalse();
  }

  @Test
  void inOrderAddsAdvanceThePrefix() {
    DotSet set = new DotSet();
    assertThat(set.add("a", 1)).isTrue();
    assertThat(set.add("a", 2)).isTrue();
    assertThat(set.add("b", 1)).isTrue();
    assertThat(set.clock()).isEqualTo(vc("a", 2, "b", 1));
    assertThat(set.gaps()).isEmpty();
    assertThat(set.contains("a", 1)).isTrue();
    assertThat(set.contains("a", 2)).isTrue();
    assertThat(set.contains("a", 3)).isFalse();
  }

  @Test
  void outOfOrderDotStaysBeyondThePrefixUntilTheGapFills() {
    DotSet set = new DotSet();
    assertThat(set.add("a", 3)).isTrue();
    assertThat(set.clock()).as("3 without 1 and 2 does not count").isEqualTo(VectorClock.empty());
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(3)));
    assertThat(set.contains("a", 3)).isTrue();
    assertThat(set.contains("a", 2)).isFalse();

    assertThat(set.add("a", 1)).isTrue();
    assertThat(set.clock()).isEqualTo(vc("a", 1));
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(3)));

    assertThat(set.add("a", 2)).isTrue();
    assertThat(set.clock()).as("filling the gap absorbs 3").isEqualTo(vc("a", 3));
    assertThat(set.gaps()).isEmpty();
  }

  @Test
  void fillingAGapAbsorbsOnlyTheContiguousRun() {
    DotSet set = new DotSet();
    set.add("a", 2);
    set.add("a", 3);
    set.add("a", 5);
    set.add("a", 1);
    assertThat(set.clock()).isEqualTo(vc("a", 3));
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(5)));
  }

  @Test
  void duplicatesReturnFalseAndChangeNothing() {
    DotSet set = new DotSet();
    set.add("a", 1);
    set.add("a", 3);
    assertThat(set.add("a", 1)).as("duplicate within the prefix").isFalse();
    assertThat(set.add("a", 3)).as("duplicate beyond the prefix").isFalse();
    assertThat(set.add("a", 0)).as("counter zero is never a write").isFalse();
    assertThat(set.clock()).isEqualTo(vc("a", 1));
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(3)));
  }

  @Test
  void writersAreIndependent() {
    DotSet set = new DotSet();
    set.add("a", 1);
    set.add("b", 2);
    assertThat(set.clock()).isEqualTo(vc("a", 1));
    assertThat(set.gaps()).containsExactly(Map.entry("b", longs(2)));
    assertThat(set.contains("b", 1)).isFalse();
  }

  @Test
  void addAllUnionsPrefixesAndGaps() {
    DotSet mine = new DotSet();
    for (long c : new long[] {1, 2, 6}) {
      mine.add("a", c);
    }
    mine.add("b", 3);

    DotSet theirs = new DotSet();
    for (long c : new long[] {1, 2, 3, 4, 8}) {
      theirs.add("a", c);
    }
    theirs.add("b", 1);
    theirs.add("c", 2);

    mine.addAll(theirs);
    // a: {1..4} ∪ {1,2,6} ∪ {8} = prefix 4, beyond {6, 8}
    // b: {3} ∪ {1} = prefix 1, beyond {3}
    // c: {2} = prefix 0, beyond {2}
    assertThat(mine.clock()).isEqualTo(vc("a", 4, "b", 1));
    assertThat(mine.gaps()).containsExactly(
        Map.entry("a", longs(6, 8)), Map.entry("b", longs(3)), Map.entry("c", longs(2)));
    // The source is unchanged.
    assertThat(theirs.clock()).isEqualTo(vc("a", 4, "b", 1));
    assertThat(theirs.gaps()).containsExactly(Map.entry("a", longs(8)), Map.entry("c", longs(2)));
  }

  @Test
  void addAllWhosePrefixReachesAGapAbsorbsIt() {
    DotSet mine = new DotSet();
    mine.add("a", 4);
    mine.add("a", 5);
    mine.add("a", 7);
    DotSet theirs = new DotSet();
    theirs.add("a", 1);
    theirs.add("a", 2);
    theirs.add("a", 3);
    mine.addAll(theirs);
    assertThat(mine.clock()).isEqualTo(vc("a", 5));
    assertThat(mine.gaps()).containsExactly(Map.entry("a", longs(7)));
  }

  @Test
  void addAllWhosePrefixCoversAllGapsLeavesNoGaps() {
    DotSet mine = new DotSet();
    mine.add("a", 3);
    mine.add("a", 5);
    DotSet theirs = new DotSet();
    for (long c = 1; c <= 6; c++) {
      theirs.add("a", c);
    }
    mine.addAll(theirs);
    assertThat(mine.clock()).isEqualTo(vc("a", 6));
    assertThat(mine.gaps()).isEmpty();
  }

  @Test
  void addAllMatchesAddingEveryDotOneByOne() {
    Random rnd = new Random(3);
    for (int round = 0; round < 200; round++) {
      List<long[]> left = randomDots(rnd);
      List<long[]> right = randomDots(rnd);
      DotSet a = build(left);
      DotSet b = build(right);
      a.addAll(b);
      List<long[]> both = new ArrayList<>(left);
      both.addAll(right);
      DotSet expected = build(both);
      assertThat(a.clock()).isEqualTo(expected.clock());
      assertThat(a.gaps()).isEqualTo(expected.gaps());
    }
  }

  @Test
  void anyArrivalOrderGivesTheSameSet() {
    Random rnd = new Random(8);
    List<long[]> dots = new ArrayList<>();
    for (long c = 1; c <= 30; c++) {
      if (c != 17) {
        dots.add(new long[] {0, c});
      }
      dots.add(new long[] {1, c});
    }
    for (int round = 0; round < 50; round++) {
      Collections.shuffle(dots, rnd);
      DotSet set = build(dots);
      assertThat(set.clock()).isEqualTo(vc("w0", 16, "w1", 30));
      TreeSet<Long> beyond = new TreeSet<>();
      for (long c = 18; c <= 30; c++) {
        beyond.add(c);
      }
      assertThat(set.gaps()).containsExactly(Map.entry("w0", beyond));
    }
  }

  @Test
  void clockReportsOnlyTheContiguousPrefix() {
    DotSet set = new DotSet();
    set.add("a", 1);
    set.add("a", 2);
    set.add("a", 4);
    set.add("a", 5);
    set.add("b", 2);
    VectorClock clock = set.clock();
    assertThat(clock.get("a")).isEqualTo(2);
    assertThat(clock.get("b")).isZero();
  }

  @Test
  void ofRebuildsFromClockAndGaps() {
    TreeMap<String, TreeSet<Long>> gaps = new TreeMap<>();
    gaps.put("a", longs(5, 7));
    gaps.put("b", longs(2));
    DotSet set = DotSet.of(vc("a", 3), gaps);
    assertThat(set.clock()).isEqualTo(vc("a", 3));
    assertThat(set.gaps()).isEqualTo(gaps);
    set.add("a", 4);
    assertThat(set.clock()).isEqualTo(vc("a", 5));
  }

  @Test
  void ofAbsorbsGapsThatAreContiguousWithTheClock() {
    TreeMap<String, TreeSet<Long>> gaps = new TreeMap<>();
    gaps.put("a", longs(2, 3, 4, 6));
    DotSet set = DotSet.of(vc("a", 3), gaps);
    assertThat(set.clock()).isEqualTo(vc("a", 4));
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(6)));
  }

  @Test
  void gapsIsACopy() {
    DotSet set = new DotSet();
    set.add("a", 3);
    set.gaps().get("a").add(2L);
    set.gaps().clear();
    assertThat(set.contains("a", 2)).isFalse();
    assertThat(set.gaps()).containsExactly(Map.entry("a", longs(3)));
  }

  @Test
  void clearForgetsEverything() {
    DotSet set = new DotSet();
    set.add("a", 1);
    set.add("a", 3);
    set.clear();
    assertThat(set.clock()).isEqualTo(VectorClock.empty());
    assertThat(set.gaps()).isEmpty();
    assertThat(set.add("a", 1)).isTrue();
  }

  private static List<long[]> randomDots(Random rnd) {
    List<long[]> dots = new ArrayList<>();
    int n = rnd.nextInt(12);
    for (int i = 0; i < n; i++) {
      dots.add(new long[] {rnd.nextInt(3), 1 + rnd.nextInt(8)});
    }
    return dots;
  }

  private static DotSet build(List<long[]> dots) {
    DotSet set = new DotSet();
    for (long[] d : dots) {
      set.add("w" + d[0], d[1]);
    }
    return set;
  }

  @Test
  void missingFromVisitsExactlyTheDotsTheOtherLacks() {
    DotSet mine = new DotSet();
    for (long c = 1; c <= 5; c++) {
      mine.add("a", c);
    }
    mine.add("a", 8);
    mine.add("b", 1);
    DotSet other = new DotSet();
    other.add("a", 1);
    other.add("a", 2);
    other.add("a", 4);
    other.add("b", 1);
    List<String> visited = new ArrayList<>();

    boolean within = mine.forEachMissingFrom(other, 10, (w, c) -> visited.add(w + c));

    assertThat(within).isTrue();
    assertThat(visited).containsExactlyInAnyOrder("a3", "a5", "a8");
  }

  @Test
  void missingFromVisitsNothingWhenThereMayBeMoreThanTheLimit() {
    DotSet mine = new DotSet();
    for (long c = 1; c <= 100; c++) {
      mine.add("a", c);
    }
    List<String> visited = new ArrayList<>();

    assertThat(mine.forEachMissingFrom(new DotSet(), 99, (w, c) -> visited.add(w + c))).isFalse();
    assertThat(visited).isEmpty();
    assertThat(mine.forEachMissingFrom(new DotSet(), 100, (w, c) -> visited.add(w + c))).isTrue();
    assertThat(visited).hasSize(100);
  }

  @Test
  void gapDotsTheOtherHoldsDoNotCountTowardsTheLimit() {
    DotSet mine = new DotSet();
    DotSet other = new DotSet();
    for (long c = 2; c <= 50; c++) {
      mine.add("dead", c); // dot 1 never arrived: a permanent gap
      other.add("dead", c);
    }
    mine.add("a", 1);
    List<String> visited = new ArrayList<>();

    assertThat(mine.forEachMissingFrom(other, 1, (w, c) -> visited.add(w + c))).isTrue();
    assertThat(visited).containsExactly("a1");
  }
}
