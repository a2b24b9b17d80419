package io.kvs.http;

import io.kvs.core.Transport;

/**
 * A node's transport to its peers as the runtime drives it: {@link #send} only queues, and the
 * node's thread calls {@link #flush} after each round of work, so everything a round sent to a
 * peer leaves together. {@link HttpTransport} is the one in use; a WebSocket stream per peer
 * was measured against it and lost (docs/performance.md).
 */
interface PeerTransport extends Transport, AutoCloseable {
  /** From now on, queued frames leave on {@link #flush}, not on every {@link #send}. */
  void flushAfterEachRound();

  /** Starts sending what waits, on every peer link free to take it. Never blocks. */
  void flush();

  /**
   * Sends what waits, then closes every link once it has left, or once {@code timeoutMs} have
   * passed; a peer that cannot be reached is not waited for. A node's goodbye leaves this way.
   */
  void closeAfterSending(long timeoutMs);

  /** Drops what waits and closes every link. */
  @Override
  void close();
}
