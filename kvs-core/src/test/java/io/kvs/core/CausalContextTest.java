package io.kvs.core;

import static io.kvs.core.VectorClockTest.vc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CausalContextTest {

  @Test
  void noneIsEmptyAtEpochZero() {
    CausalContext none = CausalContext.none();
    assertThat(none.isEmpty()).isTrue();
    assertThat(none.epoch()).isZero();
    assertThat(none.shards()).isEmpty();
    assertThat(none.clockOf(0)).isEqualTo(VectorClock.empty());
  }

  @Test
  void ofWithNoClocksAtEpochZeroIsNone() {
    assertThat(CausalContext.of(0, Map.of())).isEqualTo(CausalContext.none());
    assertThat(CausalContext.of(0, Map.of(3, VectorClock.empty()))).isEqualTo(CausalContext.none());
  }

  @Test
  void ofDropsEmptyClocksButKeepsTheEpoch() {
    CausalContext ctx = CausalContext.of(4, Map.of(0, VectorClock.empty(), 1, vc("a", 1)));
    assertThat(ctx.epoch()).isEqualTo(4);
    assertThat(ctx.shards()).containsOnlyKeys(1);
    assertThat(CausalContext.of(4, Map.of()).isEmpty()).isTrue();
    assertThat(CausalContext.of(4, Map.of())).isNotEqualTo(CausalContext.none());
  }

  @Test
  void ofRejectsNegativeEpochAndShard() {
    assertThatThrownBy(() -> CausalContext.of(-1, Map.of())).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CausalContext.of(1, Map.of(-1, vc("a", 1))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void clockOfAbsentShardIsEmpty() {
    CausalContext ctx = CausalContext.of(1, Map.of(0, vc("a", 2)));
    assertThat(ctx.clockOf(0)).isEqualTo(vc("a", 2));
    assertThat(ctx.clockOf(1)).isEqualTo(VectorClock.empty());
  }

  @Test
  void mergeWithinAnEpochMergesClocksPerShard() {
    CausalContext x = CausalContext.of(2, Map.of(0, vc("a", 3, "b", 1), 1, vc("c", 1)));
    CausalContext y = CausalContext.of(2, Map.of(0, vc("b", 5), 2, vc("d", 4)));
    CausalContext merged = x.merge(y);
    assertThat(merged.epoch()).isEqualTo(2);
    assertThat(merged.shards()).containsOnlyKeys(0, 1, 2);
    assertThat(merged.clockOf(0)).isEqualTo(vc("a", 3, "b", 5));
    assertThat(merged.clockOf(1)).isEqualTo(vc("c", 1));
    assertThat(merged.clockOf(2)).isEqualTo(vc("d", 4));
    assertThat(y.merge(x)).isEqualTo(merged);
  }

  @Test
  void mergeAcrossEpochsKeepsTheNewerEpochOnly() {
    CausalContext older = CausalContext.of(1, Map.of(0, vc("a", 9)));
    CausalContext newer = CausalContext.of(2, Map.of(1, vc("b", 1)));
    assertThat(older.merge(newer)).isEqualTo(newer);
    assertThat(newer.merge(older)).isEqualTo(newer);
  }

  @Test
  void emptyContextOfANewerEpochWinsOverAFullOlderOne() {
    CausalContext older = CausalContext.of(1, Map.of(0, vc("a", 9)));
    CausalContext newerEmpty = CausalContext.of(3, Map.of());
    assertThat(older.merge(newerEmpty)).isEqualTo(newerEmpty);
    assertThat(newerEmpty.merge(older)).isEqualTo(newerEmpty);
  }

  @Test
  void mergeWithNoneIsIdentity() {
    CausalContext x = CausalContext.of(1, Map.of(0, vc("a", 2)));
    assertThat(x.merge(CausalContext.none())).isEqualTo(x);
    assertThat(CausalContext.none().merge(x)).isEqualTo(x);
    CausalContext e0 = CausalContext.of(0, Map.of(0, vc("a", 2)));
    assertThat(e0.merge(CausalContext.none())).isEqualTo(e0);
    assertThat(CausalContext.none().merge(e0)).isEqualTo(e0);
  }

  @Test
  void mergeIsCommutativeAssociativeAndIdempotent() {
    Random rnd = new Random(11);
    for (int i = 0; i < 300; i++) {
      CausalContext x = random(rnd);
      CausalContext y = random(rnd);
      CausalContext z = random(rnd);
      assertThat(x.merge(y)).as("%s + %s", x, y).isEqualTo(y.merge(x));
      assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
      assertThat(x.merge(x)).isEqualTo(x);
    }
  }

  private static CausalContext random(Random rnd) {
    Map<Integer, VectorClock> shards = new HashMap<>();
    for (int s = 0; s < 3; s++) {
      if (rnd.nextBoolean()) {
        Map<String, Long> m = new HashMap<>();
        for (String w : List.of("a", "b")) {
          m.put(w, (long) rnd.nextInt(3));
        }
        shards.put(s, VectorClock.of(m));
      }
    }
    return CausalContext.of(rnd.nextInt(3), shards);
  }

  @Test
  void withMergesIntoOneShardAndLeavesTheOriginalUnchanged() {
    CausalContext x = CausalContext.of(1, Map.of(0, vc("a", 2)));
    CausalContext y = x.with(0, vc("a", 1, "b", 3)).with(2, vc("c", 1));
    assertThat(y.epoch()).isEqualTo(1);
    assertThat(y.clockOf(0)).isEqualTo(vc("a", 2, "b", 3));
    assertThat(y.clockOf(2)).isEqualTo(vc("c", 1));
    assertThat(x.shards()).containsOnlyKeys(0);
    assertThat(x.clockOf(0)).isEqualTo(vc("a", 2));
  }

  @Test
  void withAnAlreadyCoveredClockChangesNothing() {
    CausalContext x = CausalContext.of(1, Map.of(0, vc("a", 2)));
    assertThat(x.with(0, vc("a", 1))).isEqualTo(x);
    assertThat(x.with(1, VectorClock.empty())).isEqualTo(x);
    assertThat(x.with(1, VectorClock.empty()).shards()).containsOnlyKeys(0);
  }

  @Test
  void atEpochMovesForwardDroppingClocksButNeverBackward() {
    CausalContext x = CausalContext.of(2, Map.of(0, vc("a", 2)));
    assertThat(x.atEpoch(2)).isEqualTo(x);
    assertThat(x.atEpoch(3)).isEqualTo(CausalContext.of(3, Map.of()));
    assertThat(x.atEpoch(1)).isEqualTo(x);
  }

  @Test
  void shardsViewIsSortedAndUnmodifiable() {
    CausalContext x = CausalContext.of(1, Map.of(2, vc("a", 1), 0, vc("b", 1), 1, vc("c", 1)));
    assertThat(x.shards().keySet()).containsExactly(0, 1, 2);
    assertThatThrownBy(() -> x.shards().put(5, vc("d", 1))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void equalityCoversEpochAndClocks() {
    CausalContext x = CausalContext.of(1, Map.of(0, vc("a", 2)));
    CausalContext same = CausalContext.of(1, Map.of(0, vc("a", 2), 1, VectorClock.empty()));
    assertThat(x).isEqualTo(same);
    assertThat(x.hashCode()).isEqualTo(same.hashCode());
    assertThat(x).isNotEqualTo(CausalContext.of(2, Map.of(0, vc("a", 2))));
    assertThat(x).isNotEqualTo(CausalContext.of(1, Map.of(0, vc("a", 3))));
    assertThat(x).isNotEqualTo(CausalContext.of(1, Map.of(1, vc("a", 2))));
  }
}
