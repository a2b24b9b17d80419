package io.kvs.core;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Rebuilds a node from its data directory: the latest snapshot, then the log segments after
 * it, record by record, up to the first record that is cut short (a torn tail, truncated and
 * forgotten) or fails its checksum (damage: truncated too, and the replica's data is dropped so
 * that it repairs from its peers rather than serve a state that skipped a lost record).
 */
final class Recovery {
  /** What the files gave back. */
  record Result(ClusterState state, long frozen, boolean damaged, long nextSegment, long logBytes,
                long snapshotBytes) {}

  private final Disk disk;
  private final String address;
  private final NodeLog nodeLog;
  private final boolean verify;
  private String snapshotName;
  private byte[] snapshot;
  private final List<String> segments = new ArrayList<>();
  /** Each segment's bytes, read once for both passes. */
  private final List<byte[]> contents = new ArrayList<>();

  /** @param verify false only to plant the bug of a recovery that skips checksums */
  Recovery(Disk disk, String address, boolean verify, Clock clock) {
    this.nodeLog = new NodeLog(clock);
    this.disk = disk;
    this.address = address;
    this.verify = verify;
    List<String> files = disk.list();
    long base = -1;
    for (String name : files) {
      if (name.startsWith("snap-")) {
        base = Math.max(base, Journal.numberOf(name));
      }
    }
    if (base >= 0) {
      snapshotName = Journal.snapshotName(base);
      snapshot = disk.read(snapshotName);
    }
    for (String name : files) {
      if (name.startsWith("wal-") && Journal.numberOf(name) >= base) {
        segments.add(name);
        contents.add(disk.read(name));
      }
    }
  }

  /** True when the directory holds no earlier run. */
  boolean empty() {
    return snapshot == null && segments.isEmpty();
  }

  /** The incarnations of every earlier run, which this run must not take again. */
  Set<String> incarnations() {
    Set<String> found = new LinkedHashSet<>();
    LogFormat.Visitor collect = (f, from, to) -> {
      try {
        String incarnation = LogRecords.incarnationOf(f, from, to);
        if (incarnation != null) {
          found.add(incarnation);
        }
      } catch (FrameReader.MalformedFrameException e) {
        // a record that does not decode: the full replay reports it
      }
    };
    if (snapshot != null) {
      LogFormat.scan(snapshot, verify, collect);
    }
    contents.forEach(file -> LogFormat.scan(file, verify, collect));
    return found;
  }

  /** Replays everything into {@code replica}, repairs the files, and says what it did in one line. */
  Result replayInto(Replica replica) {
    Replayer r = new Replayer(replica, nodeLog);
    long snapshotBytes = 0;
    if (snapshot != null) {
      LogFormat.Scan scan = LogFormat.scan(snapshot, verify, r::replay);
      snapshotBytes = snapshot.length;
      if (scan.end() != LogFormat.End.CLEAN || !r.snapshotComplete) {
        nodeLog.warn("{} finds snapshot {} damaged; it drops its data directory and catches up from its peers",
            address, snapshotName);
        disk.list().forEach(disk::delete);
        replica.reset(0, -1);
        return new Result(null, -1, true, 1, 0, 0);
      }
    }
    long logBytes = 0;
    long discarded = 0;
    LogFormat.End end = LogFormat.End.CLEAN;
    String where = "";
    for (int i = 0; i < segments.size(); i++) {
      String name = segments.get(i);
      byte[] file = contents.get(i);
      if (end != LogFormat.End.CLEAN) {
        discarded += file.length;
        disk.delete(name);
        continue;
      }
      LogFormat.Scan scan = LogFormat.scan(file, verify, r::replay);
      logBytes += scan.validBytes();
      if (scan.end() == LogFormat.End.CLEAN && scan.validBytes() < file.length) {
        disk.truncate(name, scan.validBytes()); // zeros allocated ahead: appends resume at the last record
      } else if (scan.end() != LogFormat.End.CLEAN) {
        end = scan.end();
        where = name + " at byte " + scan.validBytes();
        discarded += file.length - scan.validBytes();
        disk.truncate(name, scan.validBytes());
      }
    }
    long next = segments.isEmpty() ? (snapshot == null ? 1 : Journal.numberOf(snapshotName))
        : Journal.numberOf(segments.get(segments.size() - 1)) + 1;
    nodeLog.info("{} recovered {} keys (snapshot {}, {} log records in {} segments); discarded {} bytes{}",
        address, replica.liveKeys(), snapshotName == null ? "none" : snapshotName, r.records, segments.size(),
        discarded, end == LogFormat.End.CLEAN ? "" : " of a " + (end == LogFormat.End.TORN ? "torn" : "corrupt")
            + " record in " + where);
    return new Result(r.state, r.frozen, end == LogFormat.End.CORRUPT, next, logBytes, snapshotBytes);
  }

  /** Applies records to the replica and keeps what belongs to the node. */
  private static final class Replayer implements LogRecords.Replay {
    private final Replica replica;
    final Set<String> incarnations = new LinkedHashSet<>();
    ClusterState state;
    long frozen = -1;
    boolean snapshotComplete;
    long records;

    private final NodeLog nodeLog;

    Replayer(Replica replica, NodeLog nodeLog) {
      this.replica = replica;
      this.nodeLog = nodeLog;
    }

    void replay(byte[] file, int from, int to) {
      records++;
      try {
        LogRecords.replay(file, from, to, this);
      } catch (FrameReader.MalformedFrameException e) {
        // only a recovery that skips checksums gets here: an intact record always decodes
        nodeLog.warn("skips a log record that does not decode: {}", e.getMessage());
      }
    }

    @Override public void applied(String key, StoredValue v) {
      replica.apply(key, v);
    }
    @Override public void dot(String writer, long counter) {
      replica.addDot(writer, counter);
    }
    @Override public void dots(DotSet dots) {
      replica.addDots(dots);
    }
    @Override public void deps(CausalContext deps) {
      replica.mergeDeps(deps);
    }
    @Override public void reset(long epoch, int shard) {
      replica.reset(epoch, shard);
    }
    @Override public void removed(String key) {
      replica.forget(key);
    }
    @Override public void caughtUp() {
      replica.markCaughtUp();
    }
    @Override public void state(ClusterState s) {
      state = s;
    }
    @Override public void frozen(long id) {
      frozen = id;
    }
    @Override public void atomically(Runnable changes) {
      changes.run();
    }
    @Override public void incarnation(String incarnation) {
      incarnations.add(incarnation);
    }
    @Override public void end() {
      snapshotComplete = true;
    }
  }
}
