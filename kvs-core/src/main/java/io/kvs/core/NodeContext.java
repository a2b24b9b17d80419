package io.kvs.core;

import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What every part of a node shares: identity, settings and the injected environment. */
final class NodeContext {
  static final Logger LOG = LoggerFactory.getLogger("io.kvs.node");

  final String address;
  final String incarnation;
  final NodeSettings settings;
  final Clock clock;
  final Scheduler scheduler;
  final RandomGenerator random;
  private final Transport transport;
  private long nextId;
  boolean stopped;

  NodeContext(String address, NodeSettings settings, Clock clock, Scheduler scheduler,
              Transport transport, RandomGenerator random) {
    this.address = address;
    this.settings = settings;
    this.clock = clock;
    this.scheduler = scheduler;
    this.transport = transport;
    this.random = random;
    this.incarnation = Long.toHexString(random.nextLong() & Long.MAX_VALUE | 1L << 62);
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

  void send(String to, Msg msg) {
    if (!stopped) {
      transport.send(to, MessageCodec.encode(msg));
    }
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
