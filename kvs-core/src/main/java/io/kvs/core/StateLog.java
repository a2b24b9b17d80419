package io.kvs.core;

/**
 * The changes of a node's state that must outlive a power loss, in the order they happen. A
 * node without a data directory logs to {@link #NONE}; one with it logs to its {@link Journal}.
 * Replaying the same calls in the same order rebuilds the state (see {@link Recovery}).
 */
interface StateLog {
  /** Version {@code v} of {@code key} won and is stored. */
  void applied(String key, StoredValue v);

  /** Write {@code (writer, counter)} is applied (or superseded) here. */
  void dot(String writer, long counter);

  /** Every write in {@code dots} is applied (or superseded) here. */
  void dots(DotSet dots);

  /** The summary of cross-shard dependencies is now {@code deps}. */
  void deps(CausalContext deps);

  /** The replica started over, empty, as a copy of {@code shard} in {@code epoch}. */
  void reset(long epoch, int shard);

  /** A collected tombstone's key is gone. */
  void removed(String key);

  /** The replica holds its shard's data and serves it. */
  void caughtUp();

  /** The membership is now {@code state}. */
  void state(ClusterState state);

  /** Writes are paused for reshard {@code id}, or resumed when it is -1. */
  void frozen(long id);

  /** Runs {@code changes} so that a crash keeps all of their records or none. */
  void atomically(Runnable changes);

  /** Logs nothing. */
  StateLog NONE = new StateLog() {
    @Override public void applied(String key, StoredValue v) {}
    @Override public void dot(String writer, long counter) {}
    @Override public void dots(DotSet dots) {}
    @Override public void deps(CausalContext deps) {}
    @Override public void reset(long epoch, int shard) {}
    @Override public void removed(String key) {}
    @Override public void caughtUp() {}
    @Override public void state(ClusterState state) {}
    @Override public void frozen(long id) {}
    @Override public void atomically(Runnable changes) {
      changes.run();
    }
  };
}
