package io.kvs.core;

import java.util.random.RandomGenerator;

/** What every part of a node shares: identity, settings and the injected environment. */
final class NodeContext {

  final String address;
  final String incarnation;
  final NodeSettings settings;
  final DurabilitySettings durability;
  final Clock clock;
  /** The node's log, which carries the virtual time in a simulation. */
  final NodeLog log;
  final Scheduler scheduler;
  final RandomGenerator random;
  private final Transport transport;
  private long nextId;
  boolean stopped;
  /** What the node's parts count, for {@link Node#stats()}. */
  final NodeCounters counters = new NodeCounters();
  /** The log outputs wait for, or null without a data directory. */
  Journal journal;

  /** @param usedIncarnations incarnations of earlier runs recovered from disk, never taken again */
  NodeContext(String address, NodeSettings settings, DurabilitySettings durability, Clock clock,
              Scheduler scheduler, Transport transport, RandomGenerator random,
              java.util.Set<String> usedIncarnations) {
    this.address = address;
    this.settings = settings;
    this.durability = durability;
    this.clock = clock;
    this.log = new NodeLog(clock);
    this.scheduler = scheduler;
    this.transport = transport;
    this.random = random;
    String chosen;
    do {
      chosen = Long.toHexString(random.nextLong() & Long.MAX_VALUE | 1L << 62);
    } while (usedIncarnations.contains(chosen));
    this.incarnation = chosen;
    // Ids start at a random point so a restarted node never reuses an id its previous run
    // used; peers remember relayed request ids to suppress duplicates.
    this.nextId = random.nextLong(1L << 62);
  }

  long now() {
    return clock.nowMs();
  }

  long nextId() {
    return ++nextId;
  }

  /**
   * Sends {@code msg} once the log records it may reflect are durable (see {@link Journal}).
   * A write's copy for its peers, and a goodbye, go at once: they claim nothing about what this
   * node holds.
   */
  void send(String to, Msg msg) {
    if (stopped) {
      return;
    }
    byte[] frame = MessageCodec.encode(msg);
    if (journal == null || msg instanceof Msg.Replicate || msg instanceof Msg.Leaving || !journal.gates()) {
      transport.send(to, frame);
    } else {
      journal.afterDurable(() -> {
        if (!stopped) {
          transport.send(to, frame);
        }
      });
    }
  }

  /** {@code reply}, delayed until the log records it may reflect are durable. */
  java.util.function.Consumer<Reply> durably(java.util.function.Consumer<Reply> reply) {
    if (journal == null || !journal.gates()) {
      return reply;
    }
    return r -> journal.afterDurable(() -> reply.accept(r));
  }

  /** Schedules {@code task}; it does nothing once the node has stopped. */
  Scheduler.Cancellable after(long delayMs, Runnable task) {
    return scheduler.schedule(delayMs, () -> {
      if (!stopped) {
        task.run();
      }
    });
  }

  /** Runs {@code task} every {@code periodMs}, starting after a random fraction of a period. */
  void every(long periodMs, Runnable task) {
    after(1 + random.nextLong(periodMs), new Runnable() {
      @Override
      public void run() {
        task.run();
        after(periodMs, this);
      }
    });
  }
}
