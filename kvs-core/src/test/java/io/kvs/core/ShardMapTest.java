package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ShardMapTest {

  static List<String> nodes(int n) {
    List<String> view = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      view.add("10.10.0." + i + ":8090");
    }
    return view;
  }

  @Test
  void assignIsDeterministic() {
    List<String> view = nodes(7);
    assertThat(ShardMap.assign(1, 0, view, 3)).isEqualTo(ShardMap.assign(1, 0, view, 3));
  }

  @Test
  void assignDoesNotDependOnViewOrder() {
    List<String> view = nodes(9);
    ShardMap reference = ShardMap.assign(1, 0, view, 4);
    Random rnd = new Random(5);
    for (int i = 0; i < 20; i++) {
      List<String> shuffled = new ArrayList<>(view);
      Collections.shuffle(shuffled, rnd);
      ShardMap other = ShardMap.assign(1, 0, shuffled, 4);
      assertThat(other).as("view order %s", shuffled).isEqualTo(reference);
      for (int s = 0; s < 4; s++) {
        assertThat(other.members(s)).isEqualTo(reference.members(s));
      }
    }
  }

  @ParameterizedTest(name = "{0} nodes, {1} shards")
  @CsvSource({"2,1", "3,1", "4,2", "5,2", "6,3", "7,3", "8,3", "9,4", "13,4", "16,8", "17,8"})
  void everyNodeIsPlacedOnceWithAtLeastTwoPerShardAndBalancedSizes(int n, int shards) {
    List<String> view = nodes(n);
    ShardMap map = ShardMap.assign(3, 7, view, shards);
    assertThat(map.shardCount()).isEqualTo(shards);
    assertThat(map.epoch()).isEqualTo(3);
    assertThat(map.version()).isEqualTo(7);

    List<String> placed = new ArrayList<>();
    int min = Integer.MAX_VALUE;
    int max = 0;
    for (int s = 0; s < shards; s++) {
      List<String> members = map.members(s);
      assertThat(members).as("shard %d", s).hasSizeGreaterThanOrEqualTo(2).isSorted();
      placed.addAll(members);
      min = Math.min(min, members.size());
      max = Math.max(max, members.size());
    }
    assertThat(max - min).as("shard sizes differ by at most one").isLessThanOrEqualTo(1);
    assertThat(placed).containsExactlyInAnyOrderElementsOf(view);
  }

  @Test
  void refusesFewerThanTwoNodesPerShard() {
    assertThatThrownBy(() -> ShardMap.assign(1, 0, nodes(5), 3))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardMap.assign(1, 0, nodes(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardMap.assign(1, 0, List.of(), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void duplicateViewEntriesDoNotCountAsExtraNodes() {
    List<String> view = List.of("a:1", "a:1", "b:1", "b:1");
    try {
      ShardMap map = ShardMap.assign(1, 0, view, 2);
      for (int s = 0; s < 2; s++) {
        assertThat(map.members(s)).as("shard %d of %s", s, map).hasSizeGreaterThanOrEqualTo(2);
      }
    } catch (IllegalArgumentException refused) {
      // refusing is fine too: there are only two distinct nodes
    }
  }

  @Test
  void refusesShardCountBelowOne() {
    assertThatThrownBy(() -> ShardMap.assign(1, 0, nodes(4), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ShardMap.assign(1, 0, nodes(4), -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shardOfFindsTheNodesShardAndNothingForStrangers() {
    ShardMap map = new ShardMap(1, 0, List.of(List.of("b:1", "a:1"), List.of("c:1", "d:1")));
    assertThat(map.shardOf("a:1")).isEqualTo(OptionalInt.of(0));
    assertThat(map.shardOf("b:1")).isEqualTo(OptionalInt.of(0));
    assertThat(map.shardOf("d:1")).isEqualTo(OptionalInt.of(1));
    assertThat(map.shardOf("z:1")).isEmpty();
  }

  @Test
  void membersAreSortedAndUnknownShardsHaveNone() {
    ShardMap map = new ShardMap(1, 0, List.of(List.of("b:1", "a:1"), List.of("d:1", "c:1")));
    assertThat(map.members(0)).containsExactly("a:1", "b:1");
    assertThat(map.members(1)).containsExactly("c:1", "d:1");
    assertThat(map.members(2)).isEmpty();
    assertThat(map.members(-1)).isEmpty();
  }

  @Test
  void membersCannotBeModifiedThroughTheMap() {
    List<String> shard0 = new ArrayList<>(List.of("a:1", "b:1"));
    List<List<String>> all = new ArrayList<>(List.of(shard0));
    ShardMap map = new ShardMap(1, 0, all);
    shard0.add("c:1");
    all.add(List.of("d:1"));
    assertThat(map.members(0)).containsExactly("a:1", "b:1");
    assertThat(map.shardCount()).isEqualTo(1);
    assertThatThrownBy(() -> map.members(0).add("x:1")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void hasShardIsTrueExactlyForZeroToShardCountMinusOne() {
    ShardMap map = ShardMap.assign(1, 0, nodes(6), 3);
    assertThat(map.hasShard(0)).isTrue();
    assertThat(map.hasShard(2)).isTrue();
    assertThat(map.hasShard(3)).isFalse();
    assertThat(map.hasShard(-1)).isFalse();
  }

  @Test
  void constructorRejectsANodeInTwoShards() {
    assertThatThrownBy(() -> new ShardMap(1, 0, List.of(List.of("a:1", "b:1"), List.of("b:1", "c:1"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("b:1");
  }

  @Test
  void constructorRejectsNoShards() {
    assertThatThrownBy(() -> new ShardMap(1, 0, List.of())).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anEmptyShardIsAllowedAndStillOwnsKeys() {
    // A shard whose members all left is still a shard: its keys keep mapping to it.
    ShardMap map = new ShardMap(1, 0, List.of(List.of("a:1", "b:1"), List.of()));
    assertThat(map.shardCount()).isEqualTo(2);
    assertThat(map.members(1)).isEmpty();
    Set<Integer> owners = new HashSet<>();
    for (String key : ConsistentRingTest.randomKeys(4, 200)) {
      owners.add(map.shardForKey(key));
    }
    assertThat(owners).containsExactlyInAnyOrder(0, 1);
  }

  @Test
  void shardForKeyAgreesWithConsistentRingOfTheSameShardCount() {
    for (int shards = 1; shards <= 5; shards++) {
      ShardMap map = ShardMap.assign(1, 0, nodes(2 * shards), shards);
      ConsistentRing ring = new ConsistentRing(shards);
      for (String key : ConsistentRingTest.randomKeys(shards, 1_000)) {
        assertThat(map.shardForKey(key)).as("key %s over %d shards", key, shards)
            .isEqualTo(ring.shardFor(key));
      }
    }
  }

  @Test
  void equalityCoversEpochVersionAndMembers() {
    ShardMap base = new ShardMap(1, 2, List.of(List.of("a:1", "b:1")));
    assertThat(base).isEqualTo(new ShardMap(1, 2, List.of(List.of("b:1", "a:1"))));
    assertThat(base.hashCode()).isEqualTo(new ShardMap(1, 2, List.of(List.of("b:1", "a:1"))).hashCode());
    assertThat(base).isNotEqualTo(new ShardMap(2, 2, List.of(List.of("a:1", "b:1"))));
    assertThat(base).isNotEqualTo(new ShardMap(1, 3, List.of(List.of("a:1", "b:1"))));
    assertThat(base).isNotEqualTo(new ShardMap(1, 2, List.of(List.of("a:1", "c:1"))));
  }
}
