package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kvs.core.MemberRecord.Status;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterStateTest {

  static List<String> view(int n) {
    List<String> v = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      v.add("10.0.0." + i + ":8090");
    }
    return v;
  }

  static MemberRecord rec(String address, Status status, int shard, long epoch, long stamp, String origin) {
    return new MemberRecord(address, status, shard, "", epoch, stamp, origin);
  }

  static ClusterState state(long epoch, int shardCount, MemberRecord... records) {
    TreeMap<String, MemberRecord> m = new TreeMap<>();
    for (MemberRecord r : records) {
      m.put(r.address(), r);
    }
    return new ClusterState(epoch, shardCount, m);
  }

  // ---------------------------------------------------------------- initial

  @ParameterizedTest(name = "{0} nodes, {1} shards")
  @CsvSource({"2,1", "4,2", "5,2", "6,3", "7,3", "9,4"})
  void initialWithShardCountPutsEveryNodeInAShardWithAtLeastTwoPerShard(int n, int shards) {
    List<String> view = view(n);
    ClusterState s = ClusterState.initial(view, shards, view.get(0), "inc");
    assertThat(s.sharded()).isTrue();
    assertThat(s.epoch).isEqualTo(1);
    assertThat(s.shardCount).isEqualTo(shards);
    assertThat(s.view()).isEqualTo(view);
    int[] sizes = new int[shards];
    for (String a : view) {
      int shard = s.shardOf(a);
      assertThat(shard).as(a).isBetween(0, shards - 1);
      sizes[shard]++;
    }
    for (int size : sizes) {
      assertThat(size).isGreaterThanOrEqualTo(2);
    }
    ShardMap map = s.shardMap();
    assertThat(map.shardCount()).isEqualTo(shards);
    for (int shard = 0; shard < shards; shard++) {
      assertThat(map.members(shard)).hasSize(sizes[shard]);
    }
  }

  @Test
  void initialPlacementMatchesShardMapAssign() {
    List<String> view = view(7);
    ClusterState s = ClusterState.initial(view, 3, view.get(2), "inc");
    ShardMap expected = ShardMap.assign(1, 0, view, 3);
    for (int shard = 0; shard < 3; shard++) {
      assertThat(s.shardMap().members(shard)).isEqualTo(expected.members(shard));
    }
  }

  @Test
  void initialIsIdenticalOnEveryNodeExceptEachNodesOwnRecord() {
    List<String> view = view(6);
    List<String> shuffled = new ArrayList<>(view);
    List<ClusterState> states = new ArrayList<>();
    for (String self : view) {
      // Each node may list the view in its own order.
      Collections.shuffle(shuffled, new Random(self.hashCode()));
      states.add(ClusterState.initial(new ArrayList<>(shuffled), 3, self, "inc-" + self));
    }
    for (int i = 0; i < view.size(); i++) {
      for (int j = 0; j < view.size(); j++) {
        ClusterState a = states.get(i);
        ClusterState b = states.get(j);
        assertThat(a.epoch).isEqualTo(b.epoch);
        assertThat(a.shardCount).isEqualTo(b.shardCount);
        assertThat(a.shardMap()).isEqualTo(b.shardMap());
        for (String address : view) {
          assertThat(a.shardOf(address)).isEqualTo(b.shardOf(address));
          boolean ownOfEither = address.equals(view.get(i)) || address.equals(view.get(j));
          if (!ownOfEither) {
            assertThat(a.records.get(address)).as("record of %s", address).isEqualTo(b.records.get(address));
          }
        }
      }
    }
  }

  @Test
  void initialOwnRecordCarriesTheIncarnationAndWinsOverOthersCopies() {
    List<String> view = view(4);
    ClusterState mine = ClusterState.initial(view, 2, view.get(0), "run-7");
    ClusterState theirs = ClusterState.initial(view, 2, view.get(1), "run-9");
    MemberRecord own = mine.records.get(view.get(0));
    assertThat(own.incarnation()).isEqualTo("run-7");
    assertThat(own.origin()).isEqualTo(view.get(0));
    assertThat(theirs.records.get(view.get(0)).incarnation()).isEmpty();
    assertThat(own.newerThan(theirs.records.get(view.get(0)))).isTrue();

    ClusterState merged = mine.merge(theirs);
    assertThat(merged.records.get(view.get(0)).incarnation()).isEqualTo("run-7");
    assertThat(merged.records.get(view.get(1)).incarnation()).isEqualTo("run-9");
    assertThat(theirs.merge(mine)).isEqualTo(merged);
  }

  @Test
  void initialRefusesTooFewNodesForTheShardCount() {
    assertThatThrownBy(() -> ClusterState.initial(view(3), 2, "10.0.0.1:8090", "i"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void initialWithoutShardCountIsEpochZeroWithEveryNodeInShardZero() {
    List<String> view = view(3);
    ClusterState s = ClusterState.initial(view, null, view.get(0), "inc");
    assertThat(s.sharded()).isFalse();
    assertThat(s.epoch).isZero();
    assertThat(s.shardCount).isEqualTo(1);
    for (String a : view) {
      assertThat(s.shardOf(a)).isZero();
    }
    assertThat(s.shardMap().members(0)).isEqualTo(view);
  }

  // ---------------------------------------------------------------- shardOf / view

  @Test
  void epochZeroPutsEveryUpNodeInShardZeroWhateverItsRecordSays() {
    ClusterState s = state(0, 1,
        rec("a:1", Status.UP, -1, 0, 1, "a:1"),
        rec("b:1", Status.UP, 5, 0, 1, "b:1"),
        rec("c:1", Status.DOWN, 0, 0, 1, "c:1"),
        rec("d:1", Status.LEFT, 0, 0, 1, "d:1"));
    assertThat(s.shardOf("a:1")).isZero();
    assertThat(s.shardOf("b:1")).isZero();
    assertThat(s.shardOf("c:1")).as("down").isEqualTo(-1);
    assertThat(s.shardOf("d:1")).as("left").isEqualTo(-1);
    assertThat(s.shardOf("nobody:1")).isEqualTo(-1);
    assertThat(s.shardMap().members(0)).containsExactly("a:1", "b:1");
  }

  @Test
  void recordsOfAnOlderEpochThanTheStateHaveNoShard() {
    ClusterState s = state(3, 2,
        rec("a:1", Status.UP, 0, 3, 1, "a:1"),
        rec("b:1", Status.UP, 1, 3, 1, "b:1"),
        rec("c:1", Status.UP, 1, 2, 9, "c:1"));
    assertThat(s.shardOf("a:1")).isZero();
    assertThat(s.shardOf("b:1")).isEqualTo(1);
    assertThat(s.shardOf("c:1")).isEqualTo(-1);
    assertThat(s.view()).as("still in the view").contains("c:1");
    assertThat(s.shardMap().shardOf("c:1")).isEmpty();
    assertThat(s.shardMap().members(1)).containsExactly("b:1");
  }

  @Test
  void downAndLeftNodesHaveNoShardInASharedState() {
    ClusterState s = state(2, 2,
        rec("a:1", Status.DOWN, 0, 2, 1, "a:1"),
        rec("b:1", Status.LEFT, 1, 2, 1, "b:1"));
    assertThat(s.shardOf("a:1")).isEqualTo(-1);
    assertThat(s.shardOf("b:1")).isEqualTo(-1);
  }

  @Test
  void viewListsOnlyUpRecordsSorted() {
    ClusterState s = state(1, 1,
        rec("c:1", Status.UP, 0, 1, 1, "c:1"),
        rec("a:1", Status.UP, 0, 1, 1, "a:1"),
        rec("b:1", Status.DOWN, 0, 1, 1, "b:1"),
        rec("d:1", Status.LEFT, 0, 1, 1, "d:1"),
        rec("e:1", Status.UP, -1, 0, 1, "e:1"));
    assertThat(s.view()).containsExactly("a:1", "c:1", "e:1");
  }

  @Test
  void shardMapVersionIsTheHighestStamp() {
    ClusterState s = state(1, 1,
        rec("a:1", Status.UP, 0, 1, 4, "a:1"),
        rec("b:1", Status.DOWN, 0, 1, 9, "b:1"));
    assertThat(s.shardMap().version()).isEqualTo(9);
    assertThat(s.maxStamp()).isEqualTo(9);
    assertThat(s.shardMap().epoch()).isEqualTo(1);
  }

  // ---------------------------------------------------------------- merge

  @Test
  void higherEpochWinsForTheStateAndForEachRecord() {
    ClusterState old = state(1, 2,
        rec("a:1", Status.UP, 0, 1, 50, "a:1"),
        rec("b:1", Status.UP, 1, 1, 50, "b:1"));
    ClusterState resharded = state(2, 3,
        rec("a:1", Status.UP, 2, 2, 1, "z:1"));
    ClusterState merged = old.merge(resharded);
    assertThat(merged.epoch).isEqualTo(2);
    assertThat(merged.shardCount).isEqualTo(3);
    assertThat(merged.records.get("a:1").shard()).as("epoch beats stamp").isEqualTo(2);
    assertThat(merged.shardOf("a:1")).isEqualTo(2);
    assertThat(merged.shardOf("b:1")).as("not yet placed in epoch 2").isEqualTo(-1);
    assertThat(resharded.merge(old)).isEqualTo(merged);
  }

  @Test
  void withinAnEpochHigherStampThenOriginWins() {
    ClusterState x = state(1, 1, rec("a:1", Status.UP, 0, 1, 3, "a:1"));
    ClusterState y = state(1, 1, rec("a:1", Status.DOWN, 0, 1, 4, "b:1"));
    assertThat(x.merge(y).records.get("a:1").status()).isEqualTo(Status.DOWN);
    assertThat(y.merge(x).records.get("a:1").status()).isEqualTo(Status.DOWN);

    ClusterState p = state(1, 1, rec("a:1", Status.UP, 0, 1, 4, "a:1"));
    ClusterState q = state(1, 1, rec("a:1", Status.LEFT, 0, 1, 4, "c:1"));
    assertThat(p.merge(q).records.get("a:1").status()).isEqualTo(Status.LEFT);
    assertThat(q.merge(p).records.get("a:1").status()).isEqualTo(Status.LEFT);
  }

  @Test
  void mergeUnionsAddressesAndLeavesInputsUnchanged() {
    ClusterState x = state(1, 1, rec("a:1", Status.UP, 0, 1, 1, "a:1"));
    ClusterState y = state(1, 1, rec("b:1", Status.UP, 0, 1, 1, "b:1"));
    ClusterState merged = x.merge(y);
    assertThat(merged.records).containsOnlyKeys("a:1", "b:1");
    assertThat(x.records).containsOnlyKeys("a:1");
    assertThat(y.records).containsOnlyKeys("b:1");
  }

  @Test
  void mergeIsCommutativeAssociativeAndIdempotent() {
    Random rnd = new Random(21);
    for (int round = 0; round < 300; round++) {
      ClusterState x = randomState(rnd);
      ClusterState y = randomState(rnd);
      ClusterState z = randomState(rnd);
      assertThat(x.merge(y)).as("%s + %s", x, y).isEqualTo(y.merge(x));
      assertThat(x.merge(y).merge(z)).isEqualTo(x.merge(y.merge(z)));
      assertThat(x.merge(x)).isEqualTo(x);
      assertThat(x.merge(y).merge(y)).isEqualTo(x.merge(y));
    }
  }

  /**
   * Random states as gossip produces them: the shard count is a function of the epoch, and a
   * record's content is a function of its (epoch, stamp, origin) version, as no two writers
   * ever issue the same version with different content.
   */
  private static ClusterState randomState(Random rnd) {
    long epoch = rnd.nextInt(3);
    TreeMap<String, MemberRecord> records = new TreeMap<>();
    for (String address : List.of("a:1", "b:1", "c:1", "d:1")) {
      if (rnd.nextInt(4) == 0) {
        continue;
      }
      long recEpoch = rnd.nextInt((int) epoch + 1);
      long stamp = rnd.nextInt(4);
      String origin = List.of("a:1", "b:1").get(rnd.nextInt(2));
      int h = Math.floorMod((address + recEpoch + stamp + origin).hashCode(), 1000);
      Status status = Status.values()[h % 3];
      records.put(address, new MemberRecord(address, status, h % 2, "i" + (h % 5), recEpoch, stamp, origin));
    }
    return new ClusterState(epoch, (int) epoch + 1, records);
  }

  @Test
  void withReplacesOneRecord() {
    ClusterState s = state(1, 1, rec("a:1", Status.UP, 0, 1, 1, "a:1"));
    ClusterState t = s.with(rec("a:1", Status.DOWN, 0, 1, 2, "b:1"));
    assertThat(t.records.get("a:1").status()).isEqualTo(Status.DOWN);
    assertThat(s.records.get("a:1").status()).isEqualTo(Status.UP);
    assertThat(t.epoch).isEqualTo(1);
  }

  @Test
  void equalityCoversEpochShardCountAndRecords() {
    ClusterState s = state(1, 2, rec("a:1", Status.UP, 0, 1, 1, "a:1"));
    assertThat(s).isEqualTo(state(1, 2, rec("a:1", Status.UP, 0, 1, 1, "a:1")));
    assertThat(s.hashCode()).isEqualTo(state(1, 2, rec("a:1", Status.UP, 0, 1, 1, "a:1")).hashCode());
    assertThat(s).isNotEqualTo(state(2, 2, rec("a:1", Status.UP, 0, 1, 1, "a:1")));
    assertThat(s).isNotEqualTo(state(1, 3, rec("a:1", Status.UP, 0, 1, 1, "a:1")));
    assertThat(s).isNotEqualTo(state(1, 2, rec("a:1", Status.UP, 0, 1, 2, "a:1")));
    assertThat(s).isNotEqualTo(Map.of());
  }

  @Test
  void constructorCopiesTheRecords() {
    TreeMap<String, MemberRecord> m = new TreeMap<>();
    m.put("a:1", rec("a:1", Status.UP, 0, 1, 1, "a:1"));
    ClusterState s = new ClusterState(1, 1, m);
    m.put("b:1", rec("b:1", Status.UP, 0, 1, 1, "b:1"));
    assertThat(s.records).containsOnlyKeys("a:1");
  }
}
