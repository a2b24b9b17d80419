package io.kvs.core;

/** The answer to a {@link Request}. */
public sealed interface Reply {
  /** What a key-value operation did. */
  enum KvOutcome { CREATED, REPLACED, FOUND, DELETED }

  /** What a membership operation did. */
  enum Done { VIEW_ADDED, VIEW_ALREADY_PRESENT, VIEW_DELETED, MEMBER_ADDED, RESHARDED }

  /**
   * A key-value operation succeeded; {@code value} is set for {@code FOUND} only. Two replies
   * are equal when their outcome, value bytes, metadata and shard are, so that two runs of the
   * same seed compare equal (a record compares an array by identity, hence the overrides).
   */
  record Kv(KvOutcome outcome, byte[] value, CausalContext context, int shardId) implements Reply {
    @Override
    public boolean equals(Object o) {
      return o instanceof Kv other && outcome == other.outcome && java.util.Arrays.equals(value, other.value)
          && java.util.Objects.equals(context, other.context) && shardId == other.shardId;
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(outcome, java.util.Arrays.hashCode(value), context, shardId);
    }

    /** The value as UTF-8 text (it is JSON), so a failed comparison shows what differs. */
    @Override
    public String toString() {
      String text = value == null ? "null" : new String(value, java.nio.charset.StandardCharsets.UTF_8);
      return "Kv[outcome=" + outcome + ", value=" + text + ", context=" + context + ", shardId=" + shardId + "]";
    }
  }

  /** The key does not exist (or is deleted); the metadata still covers the request's. */
  record KeyMissing(CausalContext context) implements Reply {}

  /** Number of live keys in a shard. */
  record KeyCount(long count) implements Reply {}

  /** A membership operation succeeded. */
  record Ok(Done done) implements Reply {}

  /** The request failed. */
  record Failed(KvsError error) implements Reply {}
}
