package io.kvs.testkit.sim;

import io.kvs.core.Request;
import io.kvs.testkit.history.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Injects faults chosen from the seed: partitions of every shape, crashes and restarts,
 * lossy links, and membership operations (new nodes, add-member, reshard, view delete and
 * re-add). It stays within the fault model the guarantees promise: at most one node down at
 * a time, and no crash until the cluster has had time to repair the last partition or re-add.
 * A node deleted from the view counts as down: it hands its keys to the rest of its shard, so
 * crashing that rest meanwhile would be a second fault (seeds 5440 and 5460 did so).
 */
public final class Nemesis {
  private final SimCluster cluster;
  private final SimOptions options;
  private final History history;
  private final SplittableRandom random;
  private final Map<String, Long> injected = new TreeMap<>();
  private final List<String> down = new ArrayList<>();
  /** Deleted address to the node that deleted it: a re-add goes through a node that saw the delete. */
  private final Map<String, String> deleted = new TreeMap<>();
  private boolean partitioned;
  private String slowNode;
  private long quietSince;
  private boolean running;
  private int added;

  public Nemesis(SimCluster cluster, SimOptions options, History history, SplittableRandom random) {
    this.cluster = cluster;
    this.options = options;
    this.history = history;
    this.random = random;
  }

  /** Faults injected so far, by kind. */
  public Map<String, Long> injected() {
    return injected;
  }

  public void start() {
    running = true;
    cluster.network().delays(1, options.maxDelayMs()).faults(options.lossRate(), options.duplicateRate());
    schedule();
  }

  private void schedule() {
    cluster.scheduler().schedule(500 + random.nextLong(2500), () -> {
      if (running) {
        step();
        schedule();
      }
    });
  }

  private void record(String kind, String detail) {
    injected.merge(kind, 1L, Long::sum);
    history.event(cluster.nowMs(), kind + " " + detail);
    cluster.note("nemesis " + kind + " " + detail);
  }

  private void step() {
    List<String> live = cluster.liveAddresses();
    long quietMs = cluster.nowMs() - quietSince;
    int roll = random.nextInt(10);
    if (partitioned && roll < 4) {
      cluster.network().heal();
      partitioned = false;
      quietSince = cluster.nowMs();
      record("heal", "");
    } else if (!down.isEmpty() && roll < 5) {
      String node = down.remove(0);
      cluster.restart(node);
      quietSince = cluster.nowMs();
      record("restart", node);
    } else if (slowNode != null && roll < 6) {
      cluster.network().slow(slowNode, 0);
      record("slow-end", slowNode);
      slowNode = null;
    } else if (options.partitions() && !partitioned && down.isEmpty() && roll < 7) {
      if (slowNode == null && random.nextInt(4) == 0) {
        slowNode = live.get(random.nextInt(live.size()));
        long extraMs = 100 + random.nextLong(2_500);
        cluster.network().slow(slowNode, extraMs);
        record("slow", slowNode + " by up to " + extraMs + " ms");
      } else {
        partition(live);
      }
    } else if (options.crashes() && !partitioned && slowNode == null && down.isEmpty() && deleted.isEmpty()
        && quietMs > 12_000 && roll < 8) {
      if (options.durable() && random.nextInt(3) == 0) {
        powerLoss(live);
        return;
      }
      String node = live.get(random.nextInt(live.size()));
      down.add(node);
      cluster.crash(node);
      record("crash", node);
      if (options.durable() && random.nextInt(3) == 0 && cluster.disk(node).flipBit()) {
        record("disk-bit-flip", node);
      }
    } else if (options.membershipChanges() && !partitioned && down.isEmpty() && quietMs > 12_000) {
      membership(live);
    }
  }

  /**
   * Every member of one shard, or every node, loses power at once: only what their disks
   * synced survives, so an acknowledged write must have been synced on a replica.
   */
  private void powerLoss(List<String> live) {
    List<String> victims = new ArrayList<>(live);
    String kind = "power-loss-cluster";
    io.kvs.core.Node any = cluster.node(live.get(0));
    if (random.nextInt(3) != 0 && any.shardMap().shardCount() > 0) {
      List<String> members = any.shardMap().members(random.nextInt(any.shardMap().shardCount()));
      victims.retainAll(members);
      kind = "power-loss-shard";
    }
    if (victims.isEmpty()) {
      return;
    }
    victims.forEach(v -> {
      down.add(v);
      cluster.crash(v);
    });
    record(kind, victims.toString());
  }

  private void partition(List<String> live) {
    List<String> shuffled = new ArrayList<>(live);
    for (int i = shuffled.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      shuffled.set(i, shuffled.set(j, shuffled.get(i)));
    }
    int shape = random.nextInt(4);
    int cut = shape == 0 ? 1 : 1 + random.nextInt(shuffled.size() - 1);
    List<String> a = shuffled.subList(0, cut);
    List<String> b = shuffled.subList(cut, shuffled.size());
    if (shape == 3) {
      String from = a.get(0);
      b.forEach(to -> cluster.network().cut(from, to));
      record("partition-asymmetric", from + " cannot send to " + b);
    } else if (shape == 2 && b.size() > 1) {
      String bridge = b.get(0);
      cluster.network().partition(a, b.subList(1, b.size()));
      record("partition-bridge", a + " | " + b.subList(1, b.size()) + " via " + bridge);
    } else {
      cluster.network().partition(a, b);
      record(shape == 0 ? "partition-isolate" : "partition-halves", a + " | " + b);
    }
    partitioned = true;
  }

  private void membership(List<String> live) {
    String via = live.get(random.nextInt(live.size()));
    int roll = random.nextInt(5);
    if (roll == 0 && added < 2) {
      String address = SimCluster.addressOf(cluster.addresses().size());
      List<String> view = new ArrayList<>(live);
      view.add(address);
      added++;
      cluster.startNode(address, view, null);
      record("add-node", address);
    } else if (roll == 1) {
      live.stream().filter(a -> cluster.node(a).shardId().isEmpty()).findFirst().ifPresent(a -> {
        int shard = random.nextInt(cluster.node(via).shardMap().shardCount());
        cluster.submit(via, new Request.AddMember(shard, a), r -> record("add-member", a + " to " + shard + ": " + r));
      });
    } else if (roll == 2 && live.size() >= 4) {
      int count = 1 + random.nextInt(live.size() / 2);
      cluster.submit(via, new Request.Reshard(count), r -> record("reshard-done", count + ": " + r));
      record("reshard", count + " shards via " + via);
    } else if (roll == 3 && deleted.isEmpty()) {
      String victim = live.get(random.nextInt(live.size()));
      String by = live.stream().filter(a -> !a.equals(victim)).findFirst().orElseThrow();
      deleted.put(victim, by);
      cluster.submit(by, new Request.RemoveFromView(victim), r -> {});
      record("view-delete", victim + " via " + by);
    } else if (!deleted.isEmpty()) {
      readd();
    }
  }

  private void readd() {
    deleted.forEach((back, deletedBy) -> {
      String by = cluster.liveAddresses().stream().filter(a -> !cluster.node(a).view().contains(back))
          .findFirst().orElse(deletedBy);
      cluster.submit(by, new Request.AddToView(back), r -> {});
      record("view-add", back + " via " + by);
    });
    if (!deleted.isEmpty()) {
      quietSince = cluster.nowMs();
    }
    deleted.clear();
  }

  /** Ends the safety phase: heals the network, restarts crashed nodes, re-adds deleted ones. */
  public void healAll() {
    running = false;
    cluster.network().heal();
    cluster.network().faults(0, 0);
    partitioned = false;
    slowNode = null;
    down.forEach(cluster::restart);
    down.clear();
    readd();
  }
}
