package io.kvs.core;

/** A source of milliseconds; real in a server, virtual in the simulator. */
@FunctionalInterface
public interface Clock {
  /** Milliseconds since an arbitrary, fixed origin; never decreases. */
  long nowMs();
}
