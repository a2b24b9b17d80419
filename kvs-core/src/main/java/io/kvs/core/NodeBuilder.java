package io.kvs.core;

import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/** Configures and builds a {@link Node}. Address, view, clock, scheduler and transport are required. */
public final class NodeBuilder {
  String address;
  List<String> view;
  Integer shardCount;
  NodeSettings settings = NodeSettings.defaults();
  DurabilitySettings durability = DurabilitySettings.defaults();
  Clock clock;
  Scheduler scheduler;
  Transport transport;
  RandomGenerator random;
  Storage storage;
  Disk disk;
  boolean verifyChecksums = true;

  NodeBuilder() {}

  /** The address other nodes reach this node at ({@code IP:PORT}). */
  public NodeBuilder address(String address) {
    this.address = address;
    return this;
  }

  /** The initial view; must contain {@link #address(String)}. */
  public NodeBuilder view(List<String> view) {
    this.view = List.copyOf(new java.util.LinkedHashSet<>(view));
    return this;
  }

  /** Shard count of a new cluster, or null to start without one (see the HTTP contract). */
  public NodeBuilder shardCount(Integer shardCount) {
    this.shardCount = shardCount;
    return this;
  }

  public NodeBuilder settings(NodeSettings settings) {
    this.settings = Objects.requireNonNull(settings);
    return this;
  }

  public NodeBuilder clock(Clock clock) {
    this.clock = clock;
    return this;
  }

  public NodeBuilder scheduler(Scheduler scheduler) {
    this.scheduler = scheduler;
    return this;
  }

  public NodeBuilder transport(Transport transport) {
    this.transport = transport;
    return this;
  }

  /** The node's source of randomness; seed it for a reproducible run. Defaults to seed 0. */
  public NodeBuilder random(RandomGenerator random) {
    this.random = random;
    return this;
  }

  /** Where the node keeps versions; defaults to {@link Storage#inMemory()}. */
  public NodeBuilder storage(Storage storage) {
    this.storage = storage;
    return this;
  }

  /**
   * The node's data directory. With one, the node logs every change, recovers from it when it
   * starts, and acknowledges as {@link #durability} says; without one (the default) it keeps
   * everything in memory and comes back empty after a restart.
   */
  public NodeBuilder disk(Disk disk) {
    this.disk = disk;
    return this;
  }

  /** The fsync policy and the replicas a write needs; defaults to {@link DurabilitySettings#defaults()}. */
  public NodeBuilder durability(DurabilitySettings durability) {
    this.durability = Objects.requireNonNull(durability);
    return this;
  }

  /**
   * Plants a bug for checker tests: recovery trusts every record without comparing its
   * checksums. Never use it for anything else.
   */
  public NodeBuilder plantRecoveryThatSkipsChecksums() {
    this.verifyChecksums = false;
    return this;
  }

  /**
   * Builds the node (not yet started).
   *
   * @throws IllegalArgumentException with one clear sentence when the configuration is wrong
   */
  public Node build() {
    require(address != null && Addresses.valid(address), "the node address must look like IP:PORT");
    require(view != null && !view.isEmpty(), "the view must list at least this node");
    for (String a : view) {
      require(Addresses.valid(a), "view entry '" + a + "' must look like IP:PORT");
    }
    require(view.contains(address), "the view must contain this node's address " + address);
    require(clock != null && scheduler != null && transport != null, "clock, scheduler and transport are required");
    if (shardCount != null) {
      require(shardCount >= 1, "the shard count must be a positive integer");
      // A lone node with one shard is a first run or a test bed, not a layout error: allowed,
      // with a warning, since nothing replicates its writes. Every other short view is refused.
      require(view.size() >= 2 * shardCount || alone(), "a view of " + view.size() + " nodes cannot give "
          + shardCount + " shards two members each");
      if (alone()) {
        new NodeLog(clock).warn("{} is the only node of its one shard: it has no replica, so a crash loses "
            + "what only its memory held", address);
      }
    }
    if (random == null) {
      random = new SplittableRandom(0);
    }
    if (storage == null) {
      storage = Storage.inMemory();
    }
    return new KvsNode(this);
  }

  /** One shard on a one-node view: the single exception to two members per shard. */
  private boolean alone() {
    return ClusterState.alone(view, shardCount);
  }

  private static void require(boolean ok, String sentence) {
    if (!ok) {
      throw new IllegalArgumentException(sentence);
    }
  }
}
