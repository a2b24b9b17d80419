package io.kvs.core;

import java.util.function.Consumer;

/**
 * The payloads of log and snapshot records: one per {@link StateLog} change, plus the
 * incarnation of each run (so no run reuses another's) and the end mark of a snapshot.
 */
final class LogRecords {
  private static final int APPLIED = 1;
  private static final int DOT = 2;
  private static final int DOTS = 3;
  private static final int DEPS = 4;
  private static final int RESET = 5;
  private static final int REMOVED = 6;
  private static final int CAUGHT_UP = 7;
  private static final int STATE = 8;
  private static final int FROZEN = 9;
  private static final int INCARNATION = 10;
  private static final int BATCH = 11;
  private static final int END = 12;

  /** What replaying records rebuilds: the state changes, and the two marks. */
  interface Replay extends StateLog {
    /** A run of the node with this incarnation started. */
    void incarnation(String incarnation);

    /** The snapshot being read is complete. */
    void end();
  }

  private LogRecords() {}

  /** A {@link StateLog} that turns every change into a record payload for {@code sink}. */
  static StateLog encoder(Consumer<byte[]> sink) {
    return encoder(sink, Runnable::run);
  }

  /** The same, with {@code atomically} deciding how changes that must survive together are kept. */
  static StateLog encoder(Consumer<byte[]> sink, Consumer<Runnable> atomically) {
    return new StateLog() {
      @Override public void applied(String key, StoredValue v) {
        sink.accept(w(APPLIED).str(key).value(v).toBytes());
      }
      @Override public void dot(String writer, long counter) {
        sink.accept(w(DOT).str(writer).i64(counter).toBytes());
      }
      @Override public void dots(DotSet dots) {
        sink.accept(w(DOTS).dots(dots).toBytes());
      }
      @Override public void deps(CausalContext deps) {
        sink.accept(w(DEPS).context(deps).toBytes());
      }
      @Override public void reset(long epoch, int shard) {
        sink.accept(w(RESET).i64(epoch).i32(shard).toBytes());
      }
      @Override public void removed(String key) {
        sink.accept(w(REMOVED).str(key).toBytes());
      }
      @Override public void caughtUp() {
        sink.accept(w(CAUGHT_UP).toBytes());
      }
      @Override public void state(ClusterState state) {
        sink.accept(w(STATE).state(state).toBytes());
      }
      @Override public void frozen(long id) {
        sink.accept(w(FROZEN).i64(id).toBytes());
      }
      @Override public void atomically(Runnable changes) {
        atomically.accept(changes);
      }
    };
  }

  /**
   * The incarnation in record {@code file[from..to)}, or null for any other record. A batch never
   * holds one, so the type byte alone tells.
   */
  static String incarnationOf(byte[] file, int from, int to) {
    FrameReader r = new FrameReader(file, from, to);
    return r.u8() == INCARNATION ? r.str() : null;
  }

  static byte[] incarnation(String incarnation) {
    return w(INCARNATION).str(incarnation).toBytes();
  }

  static byte[] end() {
    return w(END).toBytes();
  }

  /** One record holding {@code payloads}, so that they survive a crash together or not at all. */
  static byte[] batch(java.util.List<byte[]> payloads) {
    FrameWriter w = w(BATCH).i32(payloads.size());
    payloads.forEach(w::bytes);
    return w.toBytes();
  }

  private static FrameWriter w(int type) {
    return new FrameWriter().u8(type);
  }

  /**
   * Replays the record in {@code file[from..to)} into {@code target}.
   *
   * @throws FrameReader.MalformedFrameException when it does not decode
   */
  static void replay(byte[] file, int from, int to, Replay target) {
    FrameReader r = new FrameReader(file, from, to);
    int type = r.u8();
    switch (type) {
      case APPLIED -> target.applied(r.str(), r.value());
      case DOT -> target.dot(r.str(), r.i64());
      case DOTS -> target.dots(r.dots());
      case DEPS -> target.deps(r.context());
      case RESET -> target.reset(r.i64(), r.i32());
      case REMOVED -> target.removed(r.str());
      case CAUGHT_UP -> target.caughtUp();
      case STATE -> target.state(r.state());
      case FROZEN -> target.frozen(r.i64());
      case INCARNATION -> target.incarnation(r.str());
      case END -> target.end();
      case BATCH -> {
        int n = r.count();
        for (int i = 0; i < n; i++) {
          byte[] sub = r.bytes();
          replay(sub, 0, sub.length, target);
        }
      }
      default -> throw new FrameReader.MalformedFrameException("unknown log record type " + type);
    }
    if (!r.done()) {
      throw new FrameReader.MalformedFrameException("trailing bytes after log record " + type);
    }
  }
}
