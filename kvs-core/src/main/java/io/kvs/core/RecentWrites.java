package io.kvs.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The keys of the most recent writes applied to a replica, by dot. A peer pulling a few
 * writes it lacks (a request of its waits for them) is answered from here instead of by a
 * scan of the whole store, which made every pull cost as much as the store is large.
 */
final class RecentWrites {
  /** About 4 MB per replica when full; older writes are found by the periodic full exchange. */
  static final int CAPACITY = 1 << 16;

  private record Dot(String writer, long counter) {}

  private final Map<Dot, String> keys = new LinkedHashMap<>(1024, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Dot, String> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Remembers that write {@code (writer, counter)} was a write of {@code key}. */
  void record(String writer, long counter, String key) {
    keys.put(new Dot(writer, counter), key);
  }

  /** The key write {@code (writer, counter)} wrote, or null if it is not among the recent ones. */
  String keyOf(String writer, long counter) {
    return keys.get(new Dot(writer, counter));
  }

  void clear() {
    keys.clear();
  }
}
