package io.kvs.testkit.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiConsumer;

/**
 * The simulated network: every frame is delivered after a random delay drawn from the run's
 * seed, unless it is dropped by the loss rate or its link is cut. Links are directed, so
 * asymmetric partitions are one {@link #cut(String, String)} away. Frames are byte arrays
 * produced by the node's own codec, so nodes share nothing but bytes.
 */
public final class SimNetwork {
  private final SimScheduler scheduler;
  private final SplittableRandom random;
  private final Set<String> cutLinks = new HashSet<>();
  private final java.util.Map<String, Long> slowNodes = new java.util.HashMap<>();
  private BiConsumer<String, String> tracer = (from, to) -> {};
  private FrameFilter filter = (from, to, frame) -> true;

  /** Decides whether a frame may travel; lets a test plant a targeted fault. */
  @FunctionalInterface
  public interface FrameFilter {
    boolean allows(String from, String to, byte[] frame);
  }
  private long minDelayMs = 1;
  private long maxDelayMs = 5;
  private double lossRate;
  private double duplicateRate;
  private long sent;
  private long dropped;
  private long duplicated;

  /** Delivers a frame to a node if it is running. */
  public interface Receiver {
    void deliver(String from, String to, byte[] frame);
  }

  private final Receiver receiver;

  SimNetwork(SimScheduler scheduler, SplittableRandom random, Receiver receiver) {
    this.scheduler = scheduler;
    this.random = random;
    this.receiver = receiver;
  }

  /** Sets the range of one-way delays; a wide range reorders messages. */
  public SimNetwork delays(long minMs, long maxMs) {
    this.minDelayMs = minMs;
    this.maxDelayMs = Math.max(minMs, maxMs);
    return this;
  }

  /** Sets the probability that a frame is lost and that it is delivered twice. */
  public SimNetwork faults(double lossRate, double duplicateRate) {
    this.lossRate = lossRate;
    this.duplicateRate = duplicateRate;
    return this;
  }

  /** Cuts the directed link {@code from -> to}. */
  public void cut(String from, String to) {
    cutLinks.add(from + ">" + to);
  }

  /** Cuts both directions between every node of {@code a} and every node of {@code b}. */
  public void partition(List<String> a, List<String> b) {
    for (String x : a) {
      for (String y : b) {
        cut(x, y);
        cut(y, x);
      }
    }
  }

  /** True unless the directed link {@code from -> to} is cut (loss and filters aside). */
  public boolean canReach(String from, String to) {
    return !cutLinks.contains(from + ">" + to);
  }

  /** Drops every frame {@code filter} does not allow, on top of cuts and loss. */
  public void filter(FrameFilter filter) {
    this.filter = filter;
  }

  /** Makes every frame to or from {@code address} take up to {@code extraMs} longer; 0 ends it. */
  public void slow(String address, long extraMs) {
    if (extraMs <= 0) {
      slowNodes.remove(address);
    } else {
      slowNodes.put(address, extraMs);
    }
  }

  /** Restores every link. */
  public void heal() {
    cutLinks.clear();
    slowNodes.clear();
  }

  void traceWith(BiConsumer<String, String> tracer) {
    this.tracer = tracer;
  }

  void send(String from, String to, byte[] frame) {
    sent++;
    if (cutLinks.contains(from + ">" + to) || random.nextDouble() < lossRate || !filter.allows(from, to, frame)) {
      dropped++;
      return;
    }
    deliverLater(from, to, frame);
    if (random.nextDouble() < duplicateRate) {
      duplicated++;
      deliverLater(from, to, frame);
    }
  }

  private void deliverLater(String from, String to, byte[] frame) {
    long delay = minDelayMs + random.nextLong(maxDelayMs - minDelayMs + 1);
    long slow = Math.max(slowNodes.getOrDefault(from, 0L), slowNodes.getOrDefault(to, 0L));
    if (slow > 0) {
      delay += random.nextLong(slow + 1);
    }
    scheduler.schedule(delay, () -> {
      tracer.accept(from, to + " " + io.kvs.core.Frames.kind(frame));
      receiver.deliver(from, to, frame);
    });
  }

  public long framesSent() {
    return sent;
  }

  public long framesDropped() {
    return dropped;
  }

  public long framesDuplicated() {
    return duplicated;
  }
}
