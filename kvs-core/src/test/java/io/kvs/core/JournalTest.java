package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JournalTest {
  private final MemoryDisk disk = new MemoryDisk();
  private final List<Runnable> timers = new ArrayList<>();
  private final NodeContext node = new NodeContext("10.0.0.2:8090", NodeSettings.defaults(),
      DurabilitySettings.defaults(), () -> 0, (delay, task) -> {
        timers.add(task);
        return () -> {};
      }, (to, frame) -> {}, new SplittableRandom(1), Set.of());

  private Journal journal(FsyncPolicy policy, long firstSegment) {
    return new Journal(node, disk, policy, firstSegment, 0, 0);
  }

  private static Replica replica(String incarnation) {
    return new Replica(Storage.inMemory(), () -> 0, "10.0.0.2:8090", incarnation);
  }

  private static byte[] json(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void outputsWaitForOneSyncThatCoversEveryRecordBeforeThem() {
    Journal j = journal(FsyncPolicy.ALWAYS, 1);
    List<String> out = new ArrayList<>();
    j.afterDurable(() -> out.add("nothing to sync"));
    j.log().removed("a");
    j.afterDurable(() -> out.add("first"));
    j.log().removed("b");
    j.afterDurable(() -> out.add("second"));
    assertThat(out).containsExactly("nothing to sync");
    assertThat(disk.syncsRequested).isEqualTo(1);
    disk.completeSyncs(); // covers "a" only: "second" needs the next sync
    assertThat(out).containsExactly("nothing to sync", "first");
    assertThat(disk.syncsRequested).isEqualTo(2);
    disk.completeSyncs();
    assertThat(out).containsExactly("nothing to sync", "first", "second");
  }

  @Test
  void withoutAlwaysNothingWaits() {
    Journal j = journal(FsyncPolicy.INTERVAL, 1);
    List<String> out = new ArrayList<>();
    j.log().removed("a");
    j.afterDurable(() -> out.add("at once"));
    assertThat(out).containsExactly("at once");
    assertThat(disk.syncsRequested).isZero();
  }

  @Test
  void anOutputInsideAnAtomicChangeWaitsForItsBatch() {
    Journal j = journal(FsyncPolicy.ALWAYS, 1);
    List<String> out = new ArrayList<>();
    j.log().atomically(() -> {
      j.log().removed("a");
      j.afterDurable(() -> out.add("after the batch"));
      j.log().removed("b");
    });
    assertThat(out).isEmpty();
    disk.completeSyncs();
    assertThat(out).containsExactly("after the batch");
  }

  @Test
  void recoveryRebuildsTheReplicaFromItsLog() {
    Replica before = replica("aaaa");
    before.logTo(journal(FsyncPolicy.ALWAYS, 1).log());
    before.reset(3, 1);
    before.writeLocally("x", json("1"), before.writerId());
    before.writeLocally("y", json("2"), before.writerId());
    before.apply("z", new StoredValue(json("3"), 9, "10.0.0.3:8090/bbbb.1", 4));
    before.addDot("10.0.0.3:8090/bbbb.1", 4);
    before.markCaughtUp();

    Replica after = replica("cccc");
    Recovery.Result r = new Recovery(disk, "10.0.0.2:8090", true, () -> 0L).replayInto(after);
    assertThat(r.damaged()).isFalse();
    assertThat(after.epoch()).isEqualTo(3);
    assertThat(after.shard()).isEqualTo(1);
    assertThat(after.caughtUp()).isTrue();
    assertThat(after.digest()).isEqualTo(before.digest());
    assertThat(after.hasDot("10.0.0.3:8090/bbbb.1", 4)).isTrue();
    assertThat(after.hasDot(before.writerId(), 2)).isTrue();
    assertThat(after.writerId()).isNotEqualTo(before.writerId());
    assertThat(r.nextSegment()).isEqualTo(2);
  }

  @Test
  void aSnapshotAndTheLogAfterItRebuildTheSameState() {
    Replica before = replica("aaaa");
    before.logTo(journal(FsyncPolicy.ALWAYS, 1).log());
    before.reset(1, 0);
    before.writeLocally("x", json("1"), before.writerId());
    Snapshot snap = new Snapshot(List.of("aaaa"), ClusterState.initial(List.of("10.0.0.2:8090", "10.0.0.3:8090"),
        1, "10.0.0.2:8090", "aaaa"), -1, before.epoch(), before.shard(), true, before.items(), before.dotsCopy(),
        before.deps());
    disk.writeAtomically(Journal.snapshotName(2), snap::encode, () -> {});
    disk.delete(Journal.segmentName(1));
    before.logTo(journal(FsyncPolicy.ALWAYS, 2).log());
    before.writeLocally("y", json("2"), before.writerId());

    Recovery recovery = new Recovery(disk, "10.0.0.2:8090", true, () -> 0L);
    assertThat(recovery.incarnations()).containsExactly("aaaa");
    Replica after = replica("cccc");
    Recovery.Result r = recovery.replayInto(after);
    assertThat(r.state().epoch).isEqualTo(1);
    assertThat(after.digest()).isEqualTo(before.digest());
    assertThat(after.liveKeys()).isEqualTo(2);
  }

  @Test
  void aCorruptRecordMarksTheRecoveryDamagedAndCutsTheLogThere() {
    Replica before = replica("aaaa");
    before.logTo(journal(FsyncPolicy.ALWAYS, 1).log());
    before.reset(1, 0);
    before.writeLocally("x", json("\"one\""), before.writerId());
    before.writeLocally("y", json("\"two\""), before.writerId());
    byte[] log = disk.read(Journal.segmentName(1));
    int at = new String(log, StandardCharsets.ISO_8859_1).indexOf("\"one\"");
    log[at] ^= 1;
    disk.files.get(Journal.segmentName(1)).reset();
    disk.append(Journal.segmentName(1), log);

    Recovery.Result r = new Recovery(disk, "10.0.0.2:8090", true, () -> 0L).replayInto(replica("cccc"));
    assertThat(r.damaged()).isTrue();
    assertThat(disk.read(Journal.segmentName(1)).length).isLessThan(at);
  }
}
