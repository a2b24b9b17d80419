package io.kvs.core;

/**
 * One version of a key: its JSON value (UTF-8) or, for a delete, a tombstone, ordered by
 * {@code (lamport, writer)}. Every replica orders versions the same way, and a write always
 * gets a Lamport time above every version its coordinator had already applied, so it wins
 * over everything in its causal past.
 *
 * @param dot the writer's counter for this write in the current epoch, or 0 when the version
 *     came from an older epoch (a reshard or handoff), where its dot means nothing
 */
public record StoredValue(byte[] value, long lamport, String writer, long dot) {
  /** A version without a dot in the current epoch. */
  public StoredValue(byte[] value, long lamport, String writer) {
    this(value, lamport, writer, 0);
  }

  /** A tombstone with the given version. */
  public static StoredValue tombstone(long lamport, String writer) {
    return new StoredValue(null, lamport, writer);
  }

  /** True when this version records a delete. */
  public boolean isTombstone() {
    return value == null;
  }

  /** This version carried into another epoch, where its dot no longer applies. */
  public StoredValue withoutDot() {
    return dot == 0 ? this : new StoredValue(value, lamport, writer, 0);
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
