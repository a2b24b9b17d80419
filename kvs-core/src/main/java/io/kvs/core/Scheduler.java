package io.kvs.core;

/**
 * Runs tasks later on the node's logical thread. The node never blocks: every wait is a
 * task scheduled here.
 */
@FunctionalInterface
public interface Scheduler {
  /** A scheduled task that may still be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Prevents the task from running if it has not run yet. */
    void cancel();
  }

  /** Runs {@code task} on the node's logical thread after {@code delayMs} milliseconds. */
  Cancellable schedule(long delayMs, Runnable task);
}
