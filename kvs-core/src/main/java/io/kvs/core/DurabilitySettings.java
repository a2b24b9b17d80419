package io.kvs.core;

import java.util.Locale;
import java.util.Map;

/**
 * How a node persists and acknowledges writes.
 *
 * @param fsync when the log is synced (used only with a {@link Disk})
 * @param fsyncIntervalMs the sync period of {@link FsyncPolicy#INTERVAL}
 * @param minAckReplicas replicas of the key's shard, the coordinator included, that must hold a
 *     write (synced, with {@link FsyncPolicy#ALWAYS}) before it is acknowledged; a write that
 *     reaches fewer within the replication timeout is answered 503
 */
public record DurabilitySettings(FsyncPolicy fsync, long fsyncIntervalMs, int minAckReplicas) {
  /** Validates every setting. */
  public DurabilitySettings {
    if (fsync == null) {
      throw new IllegalArgumentException("KVS_FSYNC must be always, interval or never");
    }
    if (fsyncIntervalMs < 1) {
      throw new IllegalArgumentException("KVS_FSYNC_INTERVAL_MS must be a positive number of milliseconds");
    }
    if (minAckReplicas < 1) {
      throw new IllegalArgumentException("KVS_MIN_ACK_REPLICAS must be a positive integer");
    }
  }

  /** fsync {@code always}, every 100 ms for {@code interval}, one replica suffices. */
  public static DurabilitySettings defaults() {
    return new DurabilitySettings(FsyncPolicy.ALWAYS, 100, 1);
  }

  /** These settings with another fsync policy. */
  public DurabilitySettings withFsync(FsyncPolicy policy) {
    return new DurabilitySettings(policy, fsyncIntervalMs, minAckReplicas);
  }

  /** These settings with another replica minimum. */
  public DurabilitySettings withMinAckReplicas(int replicas) {
    return new DurabilitySettings(fsync, fsyncIntervalMs, replicas);
  }

  /**
   * Settings from {@code KVS_FSYNC}, {@code KVS_FSYNC_INTERVAL_MS} and
   * {@code KVS_MIN_ACK_REPLICAS}; absent ones keep their defaults.
   *
   * @throws IllegalArgumentException naming the variable when a value is malformed
   */
  public static DurabilitySettings fromEnvironment(Map<String, String> env) {
    DurabilitySettings d = defaults();
    FsyncPolicy fsync = d.fsync;
    String raw = env.get("KVS_FSYNC");
    if (raw != null && !raw.isBlank()) {
      try {
        fsync = FsyncPolicy.valueOf(raw.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("KVS_FSYNC must be always, interval or never, got '" + raw + "'");
      }
    }
    return new DurabilitySettings(fsync, number(env, "KVS_FSYNC_INTERVAL_MS", d.fsyncIntervalMs),
        (int) Math.min(Integer.MAX_VALUE, number(env, "KVS_MIN_ACK_REPLICAS", d.minAckReplicas)));
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String raw = env.get(name);
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      long v = Long.parseLong(raw.trim());
      if (v > 0) {
        return v;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + " must be a positive integer, got '" + raw + "'");
  }
}
