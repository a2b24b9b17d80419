package io.kvs.testkit.sim;

import io.kvs.core.Clock;
import io.kvs.core.Scheduler;
import java.util.PriorityQueue;
import java.util.function.BooleanSupplier;

/**
 * Virtual time for a whole simulated cluster: one queue of events ordered by time, then by
 * the order they were scheduled, so a run is a pure function of its seed.
 */
public final class SimScheduler implements Clock {
  private record Event(long timeMs, long seq, Runnable task) {}

  private final PriorityQueue<Event> queue = new PriorityQueue<>(
      (a, b) -> a.timeMs != b.timeMs ? Long.compare(a.timeMs, b.timeMs) : Long.compare(a.seq, b.seq));
  private long nowMs;
  private long seq;
  private long eventsRun;

  @Override
  public long nowMs() {
    return nowMs;
  }

  /** Virtual: nodes on this clock start each log line with its time instead of relying on the wall clock. */
  @Override
  public boolean virtual() {
    return true;
  }

  /** Number of events executed so far. */
  public long eventsRun() {
    return eventsRun;
  }

  /** Schedules {@code task} at {@code delayMs} from now. */
  public void schedule(long delayMs, Runnable task) {
    queue.add(new Event(nowMs + Math.max(0, delayMs), seq++, task));
  }

  /**
   * A {@link Scheduler} whose tasks run only while {@code alive} says so; a crashed node's
   * pending timers die with it.
   */
  public Scheduler forNode(BooleanSupplier alive) {
    return (delayMs, task) -> {
      boolean[] cancelled = {false};
      schedule(delayMs, () -> {
        if (!cancelled[0] && alive.getAsBoolean()) {
          task.run();
        }
      });
      return () -> cancelled[0] = true;
    };
  }

  /** Runs one event; false when none is left. */
  public boolean step() {
    Event e = queue.poll();
    if (e == null) {
      return false;
    }
    nowMs = e.timeMs;
    eventsRun++;
    e.task.run();
    return true;
  }

  /** Runs every event up to {@code timeMs}, then sets the clock to it. */
  public void runUntil(long timeMs) {
    while (!queue.isEmpty() && queue.peek().timeMs <= timeMs) {
      step();
    }
    nowMs = Math.max(nowMs, timeMs);
  }

  /**
   * Runs events until {@code done} holds, checking after each one, for at most
   * {@code maxMs} of virtual time; true if it held.
   */
  public boolean runUntil(BooleanSupplier done, long maxMs) {
    long deadline = nowMs + maxMs;
    while (!done.getAsBoolean()) {
      if (queue.isEmpty() || queue.peek().timeMs > deadline) {
        nowMs = Math.max(nowMs, deadline);
        return done.getAsBoolean();
      }
      step();
    }
    return true;
  }
}
