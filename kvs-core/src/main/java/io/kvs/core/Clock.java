package io.kvs.core;

/** A source of milliseconds; real in a server, virtual in the simulator. */
@FunctionalInterface
public interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never decreases. */
  long nowMs();

  /**
   * True for a simulator's virtual clock: the node's log lines then carry its time (see
   * {@code NodeLog}), since a wall-clock timestamp says nothing about a simulated run.
   */
  default boolean virtual() {
    return false;
  }
}
