package io.kvs.http;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * One open, long-lived, ordered byte-message stream to a peer, as {@link PeerStream} uses it:
 * a WebSocket in production ({@link WebSocketConnector}), a fake in tests.
 */
interface StreamSocket {
  /**
   * Sends one message; at most one send is outstanding at a time. The future completes once the
   * message left (it says nothing of the peer having handled it), or exceptionally when the
   * stream broke.
   */
  CompletableFuture<Void> send(ByteBuffer message);

  /** Closes the stream at once; whatever was not sent is lost. Idempotent. */
  void abort();

  /** Opens streams to peers. */
  interface Connector {
    /**
     * Starts connecting to {@code address}.
     *
     * @param onBroken called once, from any thread, if the open stream later breaks or the peer
     *     closes it
     * @return completes with the open stream, or exceptionally when it could not be opened
     */
    CompletableFuture<StreamSocket> connect(String address, Runnable onBroken);

    /** Releases what the connector holds (its client, its threads). */
    default void close() {}
  }
}
