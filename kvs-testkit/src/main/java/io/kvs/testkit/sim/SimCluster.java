package io.kvs.testkit.sim;

import io.kvs.core.Node;
import io.kvs.core.NodeSettings;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A whole kvs cluster in one thread: real {@link Node}s on a {@link SimNetwork}, driven by a
 * {@link SimScheduler} in virtual time. Everything random (delays, losses, node incarnations)
 * derives from one seed, so the same seed replays the same run.
 *
 * <p>Every {@link SimSession}'s operations go into {@link #history()} (unless the builder
 * turned {@link SimClusterBuilder#recordHistory recording} off), and {@link #check()} runs every
 * checker on it and on the nodes. Nodes log with their virtual time at the start of each line
 * ({@code [1234 ms virtual] ...}).
 *
 * <pre>{@code
 * SimCluster cluster = SimCluster.builder(42).nodes(6).shards(2).build();
 * SimSession alice = cluster.session();
 * alice.put("x", "hello");
 * assertThat(alice.get("x", String.class)).contains("hello");
 * cluster.assertConsistent();
 * }</pre>
 */
public final class SimCluster {
  /** Longest virtual time a single client request may take before the run counts as stuck. */
  public static final long REQUEST_LIMIT_MS = 60_000;

  private final long seed;
  private final SplittableRandom random;
  private final SimScheduler scheduler = new SimScheduler();
  private final SimNetwork network;
  private final NodeSettings settings;
  private final Integer shardCount;
  private final List<String> initialView;
  private final Map<String, Slot> slots = new LinkedHashMap<>();
  private final List<String> trace = new ArrayList<>();
  private boolean tracing;

  private static final class Slot {
    Node node;
    boolean alive;
    Integer shardCount;
    List<String> view;
  }

  private final java.util.function.Function<String, io.kvs.core.Storage> storage;
  private final SimClusterBuilder options;
  private final Map<String, SimDisk> disks = new LinkedHashMap<>();
  private final SessionRecorder recorder;
  private int sessions;

  SimCluster(long seed, int nodes, Integer shardCount, NodeSettings settings,
             java.util.function.Function<String, io.kvs.core.Storage> storage, SimClusterBuilder options) {
    this.storage = storage;
    this.options = options;
    this.recorder = new SessionRecorder(options.recordHistory);
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.settings = settings;
    this.shardCount = shardCount;
    this.network = new SimNetwork(scheduler, random.split(), this::deliver);
    List<String> view = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      view.add(addressOf(i));
    }
    this.initialView = List.copyOf(view);
    view.forEach(a -> start(a, initialView, shardCount));
  }

  /** A builder for a cluster whose every random choice derives from {@code seed}. */
  public static SimClusterBuilder builder(long seed) {
    return new SimClusterBuilder(seed);
  }

  /** The address of the {@code i}-th node (0-based) this cluster starts or adds. */
  public static String addressOf(int i) {
    return "10.0." + (i / 250) + "." + (i % 250 + 2) + ":8090";
  }

  public long seed() {
    return seed;
  }

  public SimScheduler scheduler() {
    return scheduler;
  }

  public SimNetwork network() {
    return network;
  }

  /** Virtual milliseconds since the run started. */
  public long nowMs() {
    return scheduler.nowMs();
  }

  /** Addresses of every node ever started, in start order. */
  public List<String> addresses() {
    return List.copyOf(slots.keySet());
  }

  /** Addresses of the nodes currently running. */
  public List<String> liveAddresses() {
    return slots.entrySet().stream().filter(e -> e.getValue().alive).map(Map.Entry::getKey).toList();
  }

  /** The running node at {@code address}. */
  public Node node(String address) {
    Slot s = slots.get(address);
    if (s == null || !s.alive) {
      throw new IllegalArgumentException("no running node at " + address);
    }
    return s.node;
  }

  public boolean isAlive(String address) {
    Slot s = slots.get(address);
    return s != null && s.alive;
  }

  /** Starts a node that was not in the initial view, as a process given this environment would. */
  public Node startNode(String address, List<String> view, Integer shardCount) {
    if (isAlive(address)) {
      throw new IllegalStateException(address + " is already running");
    }
    return start(address, view, shardCount);
  }

  private Node start(String address, List<String> view, Integer count) {
    Slot slot = slots.computeIfAbsent(address, a -> new Slot());
    Slot[] self = {slot};
    slot.alive = true;
    slot.view = List.copyOf(view);
    slot.shardCount = count;
    boolean[] alive = {true};
    io.kvs.core.Scheduler nodeScheduler = scheduler.forNode(() -> alive[0] && self[0].alive);
    io.kvs.core.NodeBuilder b = Node.builder().address(address).view(view).shardCount(count).settings(settings)
        .clock(scheduler).scheduler(nodeScheduler)
        .transport((to, frame) -> {
          if (alive[0]) {
            network.send(address, to, frame);
          }
        })
        .random(random.split()).storage(storage.apply(address));
    if (options.durability != null) {
      // each disk has its own random stream, so that disks leave the cluster's choices alone
      SimDisk disk = disks.computeIfAbsent(address,
          a -> new SimDisk(seed * 1_000_003L + a.hashCode(), options.lyingSync));
      b.disk(disk.forRun(nodeScheduler)).durability(options.durability);
      if (options.recoverySkipsChecksums) {
        b.plantRecoveryThatSkipsChecksums();
      }
    }
    slot.node = b.build();
    aliveFlags.put(address, alive);
    slot.node.start();
    return slot.node;
  }

  private final Map<String, boolean[]> aliveFlags = new LinkedHashMap<>();

  private final List<java.util.function.Consumer<String>> crashListeners = new ArrayList<>();

  /** Calls {@code listener} with the address of every node that crashes from now on. */
  public void onCrash(java.util.function.Consumer<String> listener) {
    crashListeners.add(listener);
  }

  /** The data directory of the node at {@code address}, or null when nodes run without one. */
  public SimDisk disk(String address) {
    return disks.get(address);
  }

  /**
   * Kills the node: its memory and timers are gone; frames to it are lost. With data
   * directories, its machine loses power too: what its disk had not synced may be lost.
   */
  public void crash(String address) {
    Slot s = slots.get(address);
    if (s != null && s.alive) {
      // A crash answers nothing (unlike Node.stop): the node's timers and messages just end.
      s.alive = false;
      aliveFlags.get(address)[0] = false;
      SimDisk disk = disks.get(address);
      if (disk != null) {
        disk.powerLoss();
      }
      note("crash " + address);
      recorder.history().event(scheduler.nowMs(), "crash " + address);
      crashListeners.forEach(l -> l.accept(address));
    }
  }

  /**
   * Shuts the node down as {@code KvsServer.close()} does: it answers what waits in it, tells
   * its peers it is leaving (frames already sent still arrive), and its disk keeps what it
   * wrote. Unlike {@link #crash}, peers stop waiting for it at once.
   */
  public void stop(String address) {
    Slot s = slots.get(address);
    if (s != null && s.alive) {
      s.node.stop();
      s.alive = false;
      aliveFlags.get(address)[0] = false;
      note("stop " + address);
      recorder.history().event(scheduler.nowMs(), "stop " + address);
      crashListeners.forEach(l -> l.accept(address));
    }
  }

  /** Submits {@code request} at {@code address} without waiting; the reply comes in virtual time. */
  public void submit(String address, Request request, java.util.function.Consumer<Reply> onReply) {
    node(address).submit(request, onReply);
  }

  /**
   * Starts the node again at the same address with the same environment and an empty memory
   * (and, with data directories, its disk as the crash left it).
   */
  public Node restart(String address) {
    Slot s = slots.get(address);
    crash(address);
    note("restart " + address);
    recorder.history().event(scheduler.nowMs(), "restart " + address);
    return start(address, s.view, s.shardCount);
  }

  private void deliver(String from, String to, byte[] frame) {
    Slot s = slots.get(to);
    if (s != null && s.alive) {
      s.node.receive(from, frame);
    }
  }

  /** Runs the cluster for {@code durationMs} of virtual time. */
  public void run(long durationMs) {
    scheduler.runUntil(scheduler.nowMs() + durationMs);
  }

  /** Runs until {@code condition} holds or {@code maxMs} pass; true if it held. */
  public boolean runUntil(BooleanSupplier condition, long maxMs) {
    return scheduler.runUntil(condition, maxMs);
  }

  /**
   * Runs until {@code condition} holds, checking it every {@code everyMs} of virtual time
   * (for conditions too costly to test after every event), for at most {@code maxMs}.
   */
  public boolean runUntil(BooleanSupplier condition, long maxMs, long everyMs) {
    long deadline = scheduler.nowMs() + maxMs;
    while (!condition.getAsBoolean()) {
      if (scheduler.nowMs() >= deadline) {
        return false;
      }
      scheduler.runUntil(Math.min(deadline, scheduler.nowMs() + everyMs));
    }
    return true;
  }

  /**
   * Submits {@code request} at {@code address} and runs the cluster until it is answered.
   *
   * @throws IllegalStateException if no answer comes within {@link #REQUEST_LIMIT_MS}
   */
  public Reply call(String address, Request request) {
    Reply[] reply = {null};
    node(address).submit(request, r -> reply[0] = r);
    if (!scheduler.runUntil(() -> reply[0] != null, REQUEST_LIMIT_MS)) {
      throw new IllegalStateException("seed " + seed + ": " + request + " at " + address
          + " got no answer within " + REQUEST_LIMIT_MS + " ms of virtual time");
    }
    return reply[0];
  }

  /**
   * A client session that sends each request to the next node of {@link #reachableAddresses()}
   * in turn, so never to a crashed node or one a partition cut off.
   */
  public SimSession session() {
    return new SimSession(this, null, sessions++);
  }

  /** A client session that always talks to {@code address}, whether it is reachable or not. */
  public SimSession session(String address) {
    return new SimSession(this, address, sessions++);
  }

  /**
   * The running nodes a client can reach: the largest group of running nodes connected by
   * links open both ways (ties go to the group with the earliest-started node), in start order.
   */
  public List<String> reachableAddresses() {
    return Reachability.largestGroup(liveAddresses(), network);
  }

  /** Every operation of every {@link SimSession} so far, plus the latest faults. */
  public io.kvs.testkit.history.History history() {
    return recorder.history();
  }

  /**
   * Runs every checker: heals every cut link, lets the cluster settle (at most two
   * minutes of virtual time), reads every written key once more
   * through a fresh session, then checks membership (G6), placement (G5) and convergence (G2) on
   * the nodes and session causality (G1) and durability (G3) on the history. Crashed nodes stay
   * down; a frame filter or loss rate you set stays too. Checkers identify a write by its value,
   * so give every write a distinct value.
   */
  public io.kvs.testkit.check.CheckResult check() {
    return ClusterCheck.run(this, recorder);
  }

  /**
   * {@link #check()}, failing with the readable report when any guarantee was violated.
   *
   * @throws AssertionError naming every violation, its operations and the seed
   */
  public void assertConsistent() {
    io.kvs.testkit.check.CheckResult result = check();
    if (!result.ok()) {
      throw new AssertionError(result.report());
    }
  }

  void record(int session, io.kvs.testkit.history.Operation.Kind kind, String key, String written, Reply reply,
              String node, long invokedMs, io.kvs.core.CausalContext sent) {
    recorder.record(session, kind, key, written, reply, node, invokedMs, scheduler.nowMs(), sent);
  }

  com.fasterxml.jackson.databind.ObjectMapper objectMapper() {
    return options.objectMapper;
  }

  /** Records a line in the run's trace (kept only when tracing is on). */
  public void note(String line) {
    if (tracing) {
      trace.add(scheduler.nowMs() + " " + line);
    }
  }

  /** Turns on the event trace: every delivered frame and fault becomes a line. */
  public SimCluster tracing() {
    tracing = true;
    network.traceWith((from, to) -> note(from + " -> " + to));
    return this;
  }

  public List<String> trace() {
    return List.copyOf(trace);
  }

  NodeSettings settings() {
    return settings;
  }

  List<String> initialView() {
    return initialView;
  }
}
