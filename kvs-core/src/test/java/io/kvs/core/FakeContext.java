package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * A {@link NodeContext} for one component under test: a clock the test moves, timers that run as
 * it does, and a transport that keeps every message sent, decoded. No network, no other node.
 */
final class FakeContext {
  /** A message the component sent. */
  record Sent(String to, Msg msg) {}

  private record Timer(long atMs, long order, Runnable task) {}

  private final PriorityQueue<Timer> timers = new PriorityQueue<>(
      (a, b) -> a.atMs != b.atMs ? Long.compare(a.atMs, b.atMs) : Long.compare(a.order, b.order));
  private final List<Sent> sent = new ArrayList<>();
  private long nowMs;
  private long order;
  final NodeContext node;

  FakeContext(String address, NodeSettings settings) {
    Clock clock = () -> nowMs;
    Scheduler scheduler = (delayMs, task) -> {
      Timer t = new Timer(nowMs + delayMs, order++, task);
      timers.add(t);
      return () -> timers.remove(t);
    };
    Transport transport = (to, frame) -> sent.add(new Sent(to, MessageCodec.decode(frame)));
    this.node = new NodeContext(address, settings, DurabilitySettings.defaults(), clock, scheduler, transport,
        new SplittableRandom(7), Set.of());
  }

  long nowMs() {
    return nowMs;
  }

  /** Moves the clock on by {@code ms}, running every timer due on the way, in order. */
  void advance(long ms) {
    long end = nowMs + ms;
    while (!timers.isEmpty() && timers.peek().atMs <= end) {
      Timer t = timers.poll();
      nowMs = t.atMs;
      t.task.run();
    }
    nowMs = end;
  }

  /** Every message sent so far, then forgets them. */
  List<Sent> takeSent() {
    List<Sent> out = List.copyOf(sent);
    sent.clear();
    return out;
  }
}
