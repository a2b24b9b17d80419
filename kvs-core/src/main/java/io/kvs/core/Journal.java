package io.kvs.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A node's write-ahead log on its {@link Disk}: every {@link StateLog} change becomes a
 * checksummed record of the current segment, and a snapshot of the whole state replaces the
 * segments before it once the log outgrows the last snapshot.
 *
 * <p>With {@link FsyncPolicy#ALWAYS} it also holds back what the node tells the world (replies,
 * acknowledgements, reports to peers) until the records that output reflects are synced. One
 * sync is in flight at a time and covers every record appended before it started, so a burst of
 * writes shares one fsync (group commit), and the node's thread never waits for the disk.
 */
final class Journal {
  /** The log may grow to this much before a snapshot is due, however small the state. */
  static final long MIN_SNAPSHOT_TRIGGER_BYTES = 8L << 20;

  private record Waiter(long seq, Runnable output) {}

  private final NodeContext node;
  private final Disk disk;
  private final FsyncPolicy policy;
  private final StateLog log = LogRecords.encoder(this::append, this::atomically);
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private Supplier<Snapshot> snapshotSource;
  private List<byte[]> batch;
  private long segment;
  private long appended;
  private long synced;
  private boolean syncing;
  private boolean snapshotting;
  private long logBytes;
  private long snapshotBytes;

  Journal(NodeContext node, Disk disk, FsyncPolicy policy, long firstSegment, long recoveredLogBytes,
          long recoveredSnapshotBytes) {
    this.node = node;
    this.disk = disk;
    this.policy = policy;
    this.segment = firstSegment;
    this.logBytes = recoveredLogBytes;
    this.snapshotBytes = recoveredSnapshotBytes;
  }

  /** Bytes of the log since the last snapshot. */
  long logBytes() {
    return logBytes;
  }

  /** Bytes of the last snapshot written or recovered. */
  long snapshotBytes() {
    return snapshotBytes;
  }

  static String segmentName(long n) {
    return String.format("wal-%010d", n);
  }

  static String snapshotName(long n) {
    return String.format("snap-%010d", n);
  }

  /** Records this run's incarnation and starts the sync and snapshot timers. */
  void start(String incarnation, Supplier<Snapshot> source) {
    this.snapshotSource = source;
    append(LogRecords.incarnation(incarnation));
    if (policy == FsyncPolicy.INTERVAL) {
      node.every(node.durability.fsyncIntervalMs(), this::syncNow);
    }
    node.every(1000, this::maybeSnapshot);
  }

  /** True when outputs wait for syncs, so callers can skip wrapping them otherwise. */
  boolean gates() {
    return policy == FsyncPolicy.ALWAYS;
  }

  /** Runs {@code output} once every record appended so far is durable (at once unless ALWAYS). */
  void afterDurable(Runnable output) {
    // inside atomically() the batch is not appended yet: it will be the next record
    long seq = batch != null ? appended + 1 : appended;
    if (policy != FsyncPolicy.ALWAYS || (synced >= seq && waiters.isEmpty())) {
      output.run();
      return;
    }
    waiters.add(new Waiter(seq, output));
    syncNow();
  }

  private void syncNow() {
    if (syncing || synced == appended) {
      return;
    }
    syncing = true;
    long upTo = appended;
    disk.sync(() -> onSynced(upTo));
  }

  private void onSynced(long upTo) {
    syncing = false;
    synced = Math.max(synced, upTo);
    while (!waiters.isEmpty() && waiters.peek().seq() <= synced) {
      waiters.poll().output().run();
    }
    if (!waiters.isEmpty()) {
      syncNow();
    }
  }

  /** The node stops: what waits goes out now (a graceful close syncs the files anyway). */
  void stop() {
    List<Waiter> all = new ArrayList<>(waiters);
    waiters.clear();
    all.forEach(w -> w.output().run());
  }

  private void append(byte[] payload) {
    if (batch != null) {
      batch.add(payload);
      return;
    }
    byte[] record = LogFormat.frame(payload);
    disk.append(segmentName(segment), record);
    appended++;
    logBytes += record.length;
  }

  /** Where the node logs its changes: each becomes a record of the current segment. */
  StateLog log() {
    return log;
  }

  private void atomically(Runnable changes) {
    if (batch != null) {
      changes.run();
      return;
    }
    batch = new ArrayList<>();
    try {
      changes.run();
    } finally {
      List<byte[]> payloads = batch;
      batch = null;
      if (payloads.size() == 1) {
        append(payloads.get(0));
      } else if (!payloads.isEmpty()) {
        append(LogRecords.batch(payloads));
      }
      if (!waiters.isEmpty()) {
        syncNow(); // outputs made inside the batch wait for it, and it was not there to sync before
      }
    }
  }

  /**
   * Starts a snapshot when the log since the last one has outgrown half of it: the state as of
   * now goes to {@code snap-N} while new records go to segment N, and once the snapshot is
   * durable every older file goes. Disk use so stays within about twice the snapshot's size.
   */
  private void maybeSnapshot() {
    if (snapshotting || logBytes < Math.max(MIN_SNAPSHOT_TRIGGER_BYTES, snapshotBytes / 2)) {
      return;
    }
    snapshotting = true;
    long covered = ++segment;
    Snapshot snapshot = snapshotSource.get();
    long[] size = {0};
    logBytes = 0;
    disk.writeAtomically(snapshotName(covered), () -> {
      byte[] bytes = snapshot.encode();
      size[0] = bytes.length;
      return bytes;
    }, () -> snapshotDurable(covered, size[0]));
  }

  private void snapshotDurable(long covered, long bytes) {
    snapshotting = false;
    snapshotBytes = bytes;
    for (String name : disk.list()) {
      long n = numberOf(name);
      if (n >= 0 && n < covered) {
        disk.delete(name);
      }
    }
    node.log.info("{} wrote snapshot {} ({} bytes) and removed the log before it", node.address,
        snapshotName(covered), bytes);
  }

  /** The number of a {@code wal-} or {@code snap-} file, or -1 for any other name. */
  static long numberOf(String name) {
    int dash = name.indexOf('-');
    if (dash < 0 || !(name.startsWith("wal-") || name.startsWith("snap-"))) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(dash + 1));
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
