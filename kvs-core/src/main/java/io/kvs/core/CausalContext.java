package io.kvs.core;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The causal metadata a client carries between requests: the placement epoch it was made
 * in, and per shard of that epoch a vector clock of the writes it depends on.
 *
 * <p>Size is bounded by shards times writers per shard, never by keys or operations.
 * Metadata of an older epoch is covered by any newer epoch, because a reshard moves every
 * key's latest version to its new shard before the new epoch is installed anywhere.
 */
public final class CausalContext {
  private static final CausalContext NONE = new CausalContext(0, new TreeMap<>());

  private final long epoch;
  private final SortedMap<Integer, VectorClock> shards;

  private CausalContext(long epoch, SortedMap<Integer, VectorClock> shards) {
    this.epoch = epoch;
    this.shards = shards;
  }

  /** Metadata with no dependencies. */
  public static CausalContext none() {
    return NONE;
  }

  /**
   * Metadata of {@code epoch} with the given per-shard clocks; empty clocks are dropped.
   *
   * @throws IllegalArgumentException on a negative epoch or shard id
   */
  public static CausalContext of(long epoch, Map<Integer, VectorClock> shards) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must not be negative");
    }
    TreeMap<Integer, VectorClock> copy = new TreeMap<>();
    shards.forEach((shard, clock) -> {
      if (shard == null || shard < 0 || clock == null) {
        throw new IllegalArgumentException("shard ids must be non-negative and clocks present");
      }
      if (!clock.isEmpty()) {
        copy.put(shard, clock);
      }
    });
    return copy.isEmpty() && epoch == 0 ? NONE : new CausalContext(epoch, copy);
  }

  /** The placement epoch this metadata was made in. */
  public long epoch() {
    return epoch;
  }

  /** Per-shard clocks, sorted by shard id; unmodifiable. */
  public Map<Integer, VectorClock> shards() {
    return Collections.unmodifiableSortedMap(shards);
  }

  /** The clock of {@code shard}, empty when absent. */
  public VectorClock clockOf(int shard) {
    return shards.getOrDefault(shard, VectorClock.empty());
  }

  /** True when this metadata asks for nothing. */
  public boolean isEmpty() {
    return shards.isEmpty();
  }

  /** This metadata with {@code shard}'s clock merged with {@code clock}. */
  public CausalContext with(int shard, VectorClock clock) {
    VectorClock merged = clockOf(shard).merge(clock);
    if (merged.equals(clockOf(shard))) {
      return this;
    }
    TreeMap<Integer, VectorClock> copy = new TreeMap<>(shards);
    copy.put(shard, merged);
    return new CausalContext(epoch, copy);
  }

  /**
   * The least metadata covering both. A newer epoch covers an older one entirely, so
   * merging across epochs keeps only the newer side.
   */
  public CausalContext merge(CausalContext other) {
    if (other.epoch != epoch || other.isEmpty() || isEmpty()) {
      return pickCovering(other);
    }
    CausalContext result = this;
    for (Map.Entry<Integer, VectorClock> e : other.shards.entrySet()) {
      result = result.with(e.getKey(), e.getValue());
    }
    return result;
  }

  private CausalContext pickCovering(CausalContext other) {
    if (other.epoch != epoch) {
      return other.epoch > epoch ? other : this;
    }
    return isEmpty() ? other : this;
  }

  /** This metadata restated in {@code newEpoch}: older clocks are implied by the newer epoch. */
  public CausalContext atEpoch(long newEpoch) {
    if (newEpoch == epoch) {
      return this;
    }
    return newEpoch > epoch ? of(newEpoch, Map.of()) : this;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CausalContext other && epoch == other.epoch && shards.equals(other.shards);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, shards);
  }

  @Override
  public String toString() {
    return "e" + epoch + shards;
  }
}
