package io.kvs.core;

import java.util.HashMap;
import java.util.function.BiConsumer;

/**
 * Where a node keeps its shard's versions, tombstones included. Called only from the node's
 * logical thread, so implementations need no locking.
 */
public interface Storage {
  /** The stored version of {@code key}, or null. */
  StoredValue get(String key);

  /** Stores {@code value} as the version of {@code key}. */
  void put(String key, StoredValue value);

  /** Forgets {@code key} entirely (used when a key moves to another shard). */
  void remove(String key);

  /** Visits every key and version. */
  void forEach(BiConsumer<String, StoredValue> visitor);

  /** Number of keys stored, tombstones included. */
  int size();

  /** Forgets everything. */
  void clear();

  /** A heap-backed store. */
  static Storage inMemory() {
    return new HeapStorage();
  }
}

/** A plain hash map: the node's thread is its only user. */
final class HeapStorage implements Storage {
  private final HashMap<String, StoredValue> map = new HashMap<>();

  @Override
  public StoredValue get(String key) {
    return map.get(key);
  }

  @Override
  public void put(String key, StoredValue value) {
    map.put(key, value);
  }

  @Override
  public void remove(String key) {
    map.remove(key);
  }

  @Override
  public void forEach(BiConsumer<String, StoredValue> visitor) {
    map.forEach(visitor);
  }

  @Override
  public int size() {
    return map.size();
  }

  @Override
  public void clear() {
    map.clear();
  }
}
