package io.kvs.core;

/** When a node's log reaches the disk, and so which writes a power loss can take. */
public enum FsyncPolicy {
  /**
   * Nothing leaves the node (an acknowledgement, a reply, a report to a peer) before the log
   * records it reflects are synced; one sync covers every record appended meanwhile.
   */
  ALWAYS,
  /** The log is synced every {@code fsyncIntervalMs}; a power loss takes at most that window. */
  INTERVAL,
  /** The operating system decides when the log reaches the disk. */
  NEVER
}
