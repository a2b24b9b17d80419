package io.kvs.client;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Chooses the nodes a key's request goes to, in order: the shard's sticky replica while it is
 * healthy, its other healthy members, the rest of the view (any node forwards to the shard),
 * the seeds, and last the nodes that failed lately. A node that fails is avoided for
 * {@link #COOL_DOWN_MS}; the next one that answers becomes the sticky replica.
 */
final class Router {
  /** How long a node that failed is tried only after every other one. */
  static final long COOL_DOWN_MS = 2_000;

  private final List<String> seeds;
  private final LongSupplier nowMs;
  private final Random random;
  private final Map<Integer, String> sticky = new ConcurrentHashMap<>();
  private final Map<String, Long> downUntilMs = new ConcurrentHashMap<>();

  Router(List<String> seeds, LongSupplier nowMs, Random random) {
    this.seeds = List.copyOf(seeds);
    this.nowMs = nowMs;
    this.random = random;
  }

  /** Candidates for a request on {@code shard} (-1 when unknown), best first. */
  List<String> candidates(Layout layout, int shard) {
    List<String> members = layout.members(shard);
    Set<String> ordered = new LinkedHashSet<>();
    String preferred = members.isEmpty() ? null
        : sticky.computeIfAbsent(shard, s -> members.get(random.nextInt(members.size())));
    if (preferred != null && members.contains(preferred)) {
      ordered.add(preferred);
    }
    ordered.addAll(members);
    ordered.addAll(layout.nodes());
    ordered.addAll(seeds);
    List<String> healthy = new ArrayList<>();
    List<String> down = new ArrayList<>();
    long now = nowMs.getAsLong();
    for (String node : ordered) {
      (downUntilMs.getOrDefault(node, 0L) > now ? down : healthy).add(node);
    }
    healthy.addAll(down);
    return healthy;
  }

  /** {@code node} answered a request on {@code shard}: it becomes the shard's sticky replica. */
  void answered(int shard, String node, Layout layout) {
    downUntilMs.remove(node);
    if (layout.members(shard).contains(node)) {
      sticky.put(shard, node);
    }
  }

  /** {@code node} could not serve: avoid it for a while, and pick another sticky replica. */
  void failed(String node) {
    downUntilMs.put(node, nowMs.getAsLong() + COOL_DOWN_MS);
    sticky.values().removeIf(node::equals);
  }
}
