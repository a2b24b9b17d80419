package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsistentRingTest {

  /** Random printable keys of 1..50 characters, as a client might send. */
  static List<String> randomKeys(long seed, int n) {
    Random rnd = new Random(seed);
    String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:/.";
    List<String> keys = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int len = 1 + rnd.nextInt(50);
      StringBuilder sb = new StringBuilder(len);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
      }
      keys.add(sb.toString());
    }
    return keys;
  }

  @Test
  void sameKeyMapsToSameShardAcrossInstances() {
    ConsistentRing a = new ConsistentRing(5);
    ConsistentRing b = new ConsistentRing(5);
    for (String key : randomKeys(1, 2_000)) {
      assertThat(b.shardFor(key)).as(key).isEqualTo(a.shardFor(key));
      assertThat(a.shardFor(key)).as("repeat lookup of %s", key).isEqualTo(a.shardFor(key));
    }
  }

  @Test
  void hashIsTheFirstEightBytesOfSha256BigEndian() {
    // sha256("hello") = 2cf24dba5fb0a30e 26e83b2a...
    assertThat(ConsistentRing.hash("hello")).isEqualTo(0x2cf24dba5fb0a30eL);
  }

  @Test
  void knownKeysKeepTheirPlacement() {
    // Every node must place a key alike, including nodes of different builds: pin a few
    // placements so an accidental change of the hash or the virtual-node naming is noticed.
    ConsistentRing four = new ConsistentRing(4);
    ConsistentRing seven = new ConsistentRing(7);
    List<String> keys = List.of("a", "b", "x", "hello", "user:42", "");
    assertThat(keys.stream().map(four::shardFor)).containsExactly(0, 0, 1, 0, 1, 3);
    assertThat(keys.stream().map(seven::shardFor)).containsExactly(4, 0, 1, 0, 1, 4);
  }

  @Test
  void singleShardOwnsEveryKey() {
    ConsistentRing ring = new ConsistentRing(1);
    assertThat(ring.shardCount()).isEqualTo(1);
    for (String key : randomKeys(2, 500)) {
      assertThat(ring.shardFor(key)).isZero();
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 16})
  void everyShardIdIsInRange(int shards) {
    ConsistentRing ring = new ConsistentRing(shards);
    assertThat(ring.shardCount()).isEqualTo(shards);
    for (String key : randomKeys(3, 2_000)) {
      assertThat(ring.shardFor(key)).isBetween(0, shards - 1);
    }
  }

  @ParameterizedTest(name = "{0} shards")
  @ValueSource(ints = {2, 3, 4, 5, 6, 7, 8})
  void tenThousandRandomKeysLandWithinTenPercentOfAnEvenShare(int shards) {
    ConsistentRing ring = new ConsistentRing(shards);
    int n = 10_000;
    int[] counts = new int[shards];
    for (String key : randomKeys(20240601L + shards, n)) {
      counts[ring.shardFor(key)]++;
    }
    double even = (double) n / shards;
    for (int s = 0; s < shards; s++) {
      assertThat((double) counts[s])
          .as("shard %d of %d holds %d keys; even share is %.0f", s, shards, counts[s], even)
          .isBetween(even * 0.9, even * 1.1);
    }
  }

  @ParameterizedTest(name = "{0} -> {0}+1 shards")
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7})
  void addingAShardMovesOnlyAMinorityOfKeysAndOnlyToTheNewShard(int shards) {
    ConsistentRing before = new ConsistentRing(shards);
    ConsistentRing after = new ConsistentRing(shards + 1);
    List<String> keys = randomKeys(99, 10_000);
    int moved = 0;
    for (String key : keys) {
      int from = before.shardFor(key);
      int to = after.shardFor(key);
      if (from != to) {
        moved++;
        assertThat(to).as("key %s moved from %d", key, from).isEqualTo(shards);
      }
    }
    double fraction = (double) moved / keys.size();
    assertThat(fraction).as("fraction of keys moved").isLessThanOrEqualTo(1.0 / (shards + 1) + 0.05);
    // The new shard does take keys.
    assertThat(fraction).isGreaterThan(1.0 / (shards + 1) - 0.05);
  }

  @Test
  void rejectsShardCountBelowOne() {
    assertThatThrownBy(() -> new ConsistentRing(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ConsistentRing(-3)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsVirtualNodeCountBelowOne() {
    assertThatThrownBy(() -> new ConsistentRing(2, 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
