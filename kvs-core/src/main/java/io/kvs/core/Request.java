package io.kvs.core;

/**
 * A client request to a node. Values are raw JSON text in UTF-8; the core never parses them,
 * so they pass through every hop without re-encoding.
 */
public sealed interface Request {
  /** Keys longer than this are refused. */
  int MAX_KEY_LENGTH = 50;

  /** Write {@code value} (JSON, UTF-8) under {@code key}. */
  record Put(String key, byte[] value, CausalContext context) implements Request {}

  /** Read {@code key}. */
  record Get(String key, CausalContext context) implements Request {}

  /** Delete {@code key}. */
  record Delete(String key, CausalContext context) implements Request {}

  /** Count the live keys of {@code shard}. */
  record KeyCount(int shard) implements Request {}

  /** Add {@code address} to the view. */
  record AddToView(String address) implements Request {}

  /** Remove {@code address} from the view. */
  record RemoveFromView(String address) implements Request {}

  /** Put {@code address} (already in the view) into {@code shard}. */
  record AddMember(int shard, String address) implements Request {}

  /** Redistribute every key over {@code shardCount} shards. */
  record Reshard(int shardCount) implements Request {}
}
