package io.kvs.core;

/**
 * One version of a key: its JSON value (UTF-8) or, for a delete, a tombstone, ordered by
 * {@code (lamport, writer)}. Every replica orders versions the same way, and a write always
 * gets a Lamport time above every version its coordinator had already applied, so it wins
 * over everything in its causal past.
 */
public record StoredValue(byte[] value, long lamport, String writer) {
  /** A tombstone with the given version. */
  public static StoredValue tombstone(long lamport, String writer) {
    return new StoredValue(null, lamport, writer);
  }

  /** True when this version records a delete. */
  public boolean isTombstone() {
    return value == null;
  }

  /** True when this version wins over {@code other} (which may be null). */
  public boolean newerThan(StoredValue other) {
    if (other == null) {
      return true;
    }
    if (lamport != other.lamport) {
      return lamport > other.lamport;
    }
    return writer.compareTo(other.writer) > 0;
  }
}
