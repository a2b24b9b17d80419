package io.kvs.http;

import io.kvs.core.Transport;

/**
 * A node's transport to its peers as the runtime drives it: {@link #send} only queues, and the
 * node's thread calls {@link #flush} after each round of work, so everything a round sent to a
 * peer leaves together. {@link StreamTransport} (the default) and {@link HttpTransport}.
 */
interface PeerTransport extends Transport, AutoCloseable {
  /** From now on, queued frames leave on {@link #flush}, not on every {@link #send}. */
  void flushAfterEachRound();

  /** Starts sending what waits, on every peer link free to take it. Never blocks. */
  void flush();

  /** Drops what waits and closes every link. */
  @Override
  void close();
}
