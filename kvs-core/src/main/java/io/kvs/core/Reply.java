package io.kvs.core;

/** The answer to a {@link Request}. */
public sealed interface Reply {
  /** What a key-value operation did. */
  enum KvOutcome { CREATED, REPLACED, FOUND, DELETED }

  /** What a membership operation did. */
  enum Done { VIEW_ADDED, VIEW_ALREADY_PRESENT, VIEW_DELETED, MEMBER_ADDED, RESHARDED }

  /** A key-value operation succeeded; {@code value} is set for {@code FOUND} only. */
  record Kv(KvOutcome outcome, byte[] value, CausalContext context, int shardId) implements Reply {}

  /** The key does not exist (or is deleted); the metadata still covers the request's. */
  record KeyMissing(CausalContext context) implements Reply {}

  /** Number of live keys in a shard. */
  record KeyCount(long count) implements Reply {}

  /** A membership operation succeeded. */
  record Ok(Done done) implements Reply {}

  /** The request failed. */
  record Failed(KvsError error) implements Reply {}
}
