package io.kvs.http;

import java.nio.ByteBuffer;

/**
 * One request slot of a {@link PeerLink}: it carries one request to the peer at a time. Two
 * kinds: {@link PeerConnection}, the hand-written HTTP/1.1 of plaintext clusters, and
 * {@link TlsPeerSender}, the JDK's HTTP client over TLS. Calls come under the link's monitor.
 */
interface PeerSender {
  /** Where a sender stands; CONNECTING, SENDING and AWAITING have a deadline. */
  enum State { CONNECTING, SENDING, AWAITING, IDLE, CLOSED }

  /** Where this sender stands now. */
  State state();

  /**
   * True while this sender's request should hold back the frames behind it: it is out, small
   * (at most {@code maxBytes}; a shard transfer never holds anything back), and was started
   * less than {@code nanos} before {@code nowNanos}.
   */
  boolean holdsBackOthers(long nanos, long maxBytes, long nowNanos);

  /** Sends {@code request} of {@code frameCount} frames, as {@link PeerLink} built it for this kind of sender. */
  void start(ByteBuffer request, int frameCount);

  /** Frames in the request in flight, 0 when none is (for the metrics). */
  int framesInFlight();

  /** On the selector thread's tick: gives up what is past its deadline, closes what idled too long. */
  void tick(long nowNanos);

  /** Closes the sender; what it has in flight is dropped. */
  void close();
}
