package io.kvs.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's copy of its shard in the current epoch: versions, the dots applied, a summary
 * of the cross-shard dependencies of everything applied, and per-bucket digests for
 * anti-entropy. Everything here changes only through monotone merges, so applying the same
 * write twice, or in any order, ends in the same state.
 */
final class Replica {
  private static final int BUCKET_BITS = 6;
  static final int BUCKETS = 1 << BUCKET_BITS;

  private final Storage storage;
  private final java.util.function.LongSupplier clock;
  private final Map<String, String> writers = new HashMap<>();
  /** Keys whose version is a tombstone, with when it was applied here (for collection). */
  private final Map<String, Long> tombstoneSince = new HashMap<>();
  private final DotSet dots = new DotSet();
  private final RecentWrites recent = new RecentWrites();
  private final long[] digest = new long[BUCKETS];
  private CausalContext deps = CausalContext.none();
  private long epoch;
  private int shard = -1;
  private long lamport;
  private long seq;
  private long live;
  /** Bumped on every reset so that answers to requests of an older copy are ignored. */
  private long generation;
  private boolean caughtUp;
  /** Where changes go to outlive a power loss; {@link StateLog#NONE} while recovering. */
  private StateLog log = StateLog.NONE;

  private final String writerPrefix;
  private String writerId;

  Replica(Storage storage, java.util.function.LongSupplier clock, String address, String incarnation) {
    this.storage = storage;
    this.clock = clock;
    this.writerPrefix = address + "/" + incarnation + ".";
  }

  /**
   * This copy's writer id, {@code address/incarnation.generation}: new for every fresh copy,
   * because the copy's counter starts over and peers still hold the old copy's dots.
   */
  String writerId() {
    return writerId;
  }

  /** From now on every change is also logged to {@code log}. */
  void logTo(StateLog log) {
    this.log = log;
  }

  /** The incarnation part of a writer id. */
  static String incarnationOf(String writer) {
    int slash = writer.lastIndexOf('/');
    int dot = writer.lastIndexOf('.');
    return slash < 0 ? "" : writer.substring(slash + 1, dot > slash ? dot : writer.length());
  }

  /** Forgets everything and starts as an empty copy of {@code newShard} in {@code newEpoch}. */
  void reset(long newEpoch, int newShard) {
    storage.clear();
    tombstoneSince.clear();
    dots.clear();
    recent.clear();
    writers.clear();
    java.util.Arrays.fill(digest, 0);
    deps = CausalContext.none().atEpoch(newEpoch);
    epoch = newEpoch;
    shard = newShard;
    seq = 0;
    live = 0;
    generation++;
    writerId = writerPrefix + generation;
    caughtUp = false;
    log.reset(newEpoch, newShard);
  }

  /** The replica holds its shard's data and serves it. */
  void markCaughtUp() {
    if (!caughtUp) {
      caughtUp = true;
      log.caughtUp();
    }
  }

  /** Forgets {@code key} (its collected tombstone), as {@link #collectTombstones} does. */
  void forget(String key) {
    StoredValue v = storage.get(key);
    if (v == null) {
      return;
    }
    storage.remove(key);
    tombstoneSince.remove(key);
    digest[bucketOf(key)] -= versionHash(key, v);
    live -= v.isTombstone() ? 0 : 1;
  }

  StoredValue get(String key) {
    return storage.get(key);
  }

  /** The placement epoch this copy belongs to. */
  long epoch() {
    return epoch;
  }

  /** The shard this copy holds, or -1 for none. */
  int shard() {
    return shard;
  }

  /** Counts {@link #reset}s, so that an answer to a request of an earlier copy is told apart. */
  long generation() {
    return generation;
  }

  /** Whether this copy holds its shard's data and serves it. */
  boolean caughtUp() {
    return caughtUp;
  }

  long liveKeys() {
    return live;
  }

  /** Deleted keys whose tombstone is still kept. */
  long tombstones() {
    return tombstoneSince.size();
  }

  /** Stores {@code v} if it wins over the stored version; true if it did. */
  boolean apply(String key, StoredValue v) {
    String writer = writers.computeIfAbsent(v.writer(), w -> w);
    if (v.dot() > 0) {
      recent.record(writer, v.dot(), key);
    }
    StoredValue cur = storage.get(key);
    if (!v.newerThan(cur)) {
      return false;
    }
    StoredValue canonical = new StoredValue(v.value(), v.lamport(), writer, v.dot());
    storage.put(key, canonical);
    int b = bucketOf(key);
    if (cur != null) {
      digest[b] -= versionHash(key, cur);
      live -= cur.isTombstone() ? 0 : 1;
    }
    digest[b] += versionHash(key, canonical);
    live += canonical.isTombstone() ? 0 : 1;
    if (canonical.isTombstone()) {
      tombstoneSince.put(key, clock.getAsLong());
    } else {
      tombstoneSince.remove(key);
    }
    lamport = Math.max(lamport, v.lamport());
    log.applied(key, canonical);
    return true;
  }

  /** Coordinates a write here: a version above everything applied, and a new dot. */
  long writeLocally(String key, byte[] value, String writerId) {
    StoredValue cur = storage.get(key);
    long time = Math.max(lamport, cur == null ? 0 : cur.lamport()) + 1;
    seq++;
    apply(key, new StoredValue(value, time, writerId, seq));
    addDot(writerId, seq);
    return seq;
  }

  void addDot(String writer, long counter) {
    if (dots.add(writer, counter)) {
      log.dot(writer, counter);
    }
  }

  /** True when write {@code (writer, counter)} has been applied here (or superseded). */
  boolean hasDot(String writer, long counter) {
    return dots.contains(writer, counter);
  }

  /**
   * Forgets tombstones applied at least {@code graceMs} ago whose write {@code heldEverywhere}
   * confirms every replica of the shard holds; returns how many went.
   */
  int collectTombstones(long graceMs, java.util.function.BiPredicate<String, Long> heldEverywhere) {
    long now = clock.getAsLong();
    int collected = 0;
    for (var it = tombstoneSince.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      StoredValue v = storage.get(e.getKey());
      if (now - e.getValue() < graceMs || v == null || v.dot() == 0 || !heldEverywhere.test(v.writer(), v.dot())) {
        continue;
      }
      storage.remove(e.getKey());
      digest[bucketOf(e.getKey())] -= versionHash(e.getKey(), v);
      it.remove();
      log.removed(e.getKey());
      collected++;
    }
    return collected;
  }

  void addDots(DotSet other) {
    dots.addAll(other);
    log.dots(other);
  }

  void mergeDeps(CausalContext d) {
    if (d.epoch() == epoch) {
      CausalContext before = deps;
      deps = deps.merge(d);
      // the comparison costs every write; only a node with a data directory needs it
      if (log != StateLog.NONE && !deps.equals(before)) {
        log.deps(deps);
      }
    }
  }

  /**
   * True when everything {@code ctx} depends on in this shard has been applied here, or is
   * known to be lost ({@code lost} says so for a writer).
   */
  boolean satisfies(CausalContext ctx, java.util.function.Predicate<String> lost) {
    if (ctx.epoch() != epoch) {
      return ctx.epoch() < epoch;
    }
    for (Map.Entry<String, Long> need : ctx.clockOf(shard).entries().entrySet()) {
      if (dots.prefixOf(need.getKey()) < need.getValue() && !lost.test(need.getKey())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Metadata for a reply that read {@code observed} (a version or null) here: the request's,
   * plus everything this copy reflects, plus the observed version's own dot, which may lie
   * beyond the contiguous prefix when writes arrived out of order.
   */
  CausalContext readContext(CausalContext ctx, StoredValue observed) {
    CausalContext out = ctx.atEpoch(epoch).merge(deps).with(shard, dots.clock());
    if (observed != null && observed.dot() > 0) {
      out = out.with(shard, VectorClock.empty().with(observed.writer(), observed.dot()));
    }
    return out;
  }

  CausalContext deps() {
    return deps;
  }

  DotSet dotsCopy() {
    DotSet copy = new DotSet();
    copy.addAll(dots);
    return copy;
  }

  long[] digest() {
    return digest.clone();
  }

  /** One number for the whole {@link #digest}: equal copies give equal summaries. */
  long digestSummary() {
    return java.util.Arrays.hashCode(digest);
  }

  List<Msg.Item> items() {
    List<Msg.Item> items = new ArrayList<>(storage.size());
    storage.forEach((k, v) -> items.add(new Msg.Item(k, v)));
    return items;
  }

  /**
   * The versions in {@code buckets} that a copy holding {@code have} lacks: a version whose dot
   * it holds was applied there (or superseded), so under write load, when every bucket differs
   * for a moment, only the writes still in flight travel rather than the whole shard.
   */
  List<Msg.Item> itemsIn(Set<Integer> buckets, DotSet have) {
    List<Msg.Item> items = new ArrayList<>();
    storage.forEach((k, v) -> {
      boolean held = v.dot() > 0 && have.contains(v.writer(), v.dot());
      if (!held && buckets.contains(bucketOf(k))) {
        items.add(new Msg.Item(k, v));
      }
    });
    return items;
  }

  /** Versions a peer lacks, and the dots it may take over once it applied them. */
  record Missing(List<Msg.Item> items, DotSet dots) {}

  /**
   * What a copy holding {@code have} lacks, found through the recent writes instead of a scan:
   * for each dot it lacks, the current version of that dot's key (the write itself or one that
   * superseded it), so the asker holds that dot's write or a newer one and may record the dot.
   *
   * @return null when that does not cover every dot it lacks (more than {@code limit}, or a dot
   *     the index does not know: older than it, or taken over from a peer without the write
   *     passing through here); the full exchange must answer then
   */
  Missing missingFrom(DotSet have, int limit) {
    List<Msg.Item> items = new ArrayList<>();
    Set<String> sent = new HashSet<>();
    DotSet found = new DotSet();
    boolean[] unknown = {false};
    boolean within = dots.forEachMissingFrom(have, limit, (writer, counter) -> {
      String key = recent.keyOf(writer, counter);
      StoredValue v = key == null ? null : storage.get(key);
      if (v == null) {
        unknown[0] = true;
        return;
      }
      found.add(writer, counter);
      boolean held = v.dot() > 0 && have.contains(v.writer(), v.dot());
      if (!held && sent.add(key)) {
        items.add(new Msg.Item(key, v));
      }
    });
    return within && !unknown[0] ? new Missing(items, found) : null;
  }

  /**
   * Fibonacci hashing: the top bits of the product. Its low bits (the former floorMod) depend
   * only on the hash's low bits, which left half the buckets empty for keys such as k0..k639.
   */
  static int bucketOf(String key) {
    return (key.hashCode() * 0x9E3779B1) >>> (32 - BUCKET_BITS);
  }

  private static long versionHash(String key, StoredValue v) {
    long h = 0xcbf29ce484222325L;
    h = (h ^ key.hashCode()) * 0x100000001b3L;
    h = (h ^ v.lamport()) * 0x100000001b3L;
    h = (h ^ v.writer().hashCode()) * 0x100000001b3L;
    h ^= h >>> 29;
    h *= 0xbf58476d1ce4e5b9L;
    return h ^ (h >>> 32);
  }
}
