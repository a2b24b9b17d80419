package io.kvs.core;

import java.util.List;
import java.util.function.Supplier;

/**
 * The files of a node's data directory, as its log and snapshots use them. Like
 * {@link Transport}, it is an injected effect: a server writes real files, the simulator keeps
 * them in memory and loses what was not synced when a node loses power.
 *
 * <p>Every method is called on the node's logical thread and returns without waiting for the
 * device, except {@link #list} and {@link #read}, which a node calls only while it recovers,
 * before it starts. Callbacks run later on the node's logical thread.
 */
public interface Disk {
  /** The names of the files present, sorted. */
  List<String> list();

  /** The whole content of {@code name} as it stands now. */
  byte[] read(String name);

  /** Appends {@code bytes} to {@code name} (created if absent); durable only once a sync covers it. */
  void append(String name, byte[] bytes);

  /** Makes everything appended so far durable, then runs {@code onDurable} on the node's thread. */
  void sync(Runnable onDurable);

  /**
   * Writes a whole file that a crash leaves either absent or complete, then runs
   * {@code onDurable} on the node's thread. {@code content} may be called on another thread, so
   * it must read only immutable data.
   */
  void writeAtomically(String name, Supplier<byte[]> content, Runnable onDurable);

  /** Removes {@code name} if present. */
  void delete(String name);

  /** Cuts {@code name} to its first {@code length} bytes. */
  void truncate(String name, long length);
}
