package io.kvs.core;

import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One kvs node as a deterministic state machine. It changes only in reaction to
 * {@link #submit client requests}, {@link #receive node messages} and timers it scheduled on
 * its {@link Scheduler}; every method must be called on the node's one logical thread.
 *
 * <p>Create one with {@link #builder()}.
 */
public interface Node {
  /** A builder for a node. */
  static NodeBuilder builder() {
    return new NodeBuilder();
  }

  /** The socket address other nodes reach this node at. */
  String address();

  /** A random id of this run of the node; a restarted node has a new one. */
  String incarnation();

  /** Announces the node to its view and starts its timers. Call once. */
  void start();

  /**
   * Stops all timers and answers every request still waiting with
   * {@link KvsError#NODE_STOPPED}; afterwards messages are ignored and requests are answered
   * the same way.
   */
  void stop();

  /**
   * Handles a client request; {@code onReply} is called exactly once, on the node's thread,
   * possibly before this method returns.
   */
  void submit(Request request, Consumer<Reply> onReply);

  /** Handles a frame another node sent; malformed frames are dropped with a log line. */
  void receive(String from, byte[] frame);

  /** The sorted addresses in the view. */
  List<String> view();

  /** The current shard map. */
  ShardMap shardMap();

  /** The shard this node is a member of, if any. */
  OptionalInt shardId();

  /** Live (non-deleted) keys stored on this node. */
  long localKeyCount();

  /** True when the node holds its shard's data and serves it; false while it catches up. */
  boolean caughtUp();

  /** What this node knows of the cluster and of its own copy, for a status page. */
  NodeStatus status();

  /** What this node has done since it started and how big its state is, for metrics. */
  NodeStats stats();

  /**
   * A copy of every version this node stores, tombstones included, sorted by key: for
   * inspection by tests and tools, not for serving requests.
   */
  java.util.SortedMap<String, StoredValue> storedVersions();
}
