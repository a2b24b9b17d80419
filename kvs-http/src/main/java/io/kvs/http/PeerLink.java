package io.kvs.http;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's link: the frames waiting for it and the connections that carry them, at most
 * {@value HttpTransport#IN_FLIGHT_PER_PEER}, each with one request in flight. A request starts
 * when none is in flight, or when the ones in flight are slow; frames that wait meanwhile leave
 * together in the next request. Its monitor guards its own state and that of its
 * {@link PeerSender}s: {@link PeerConnection}s in plaintext, {@link TlsPeerSender}s over TLS.
 */
final class PeerLink {
  private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
  /** A request carries at most this many bytes of frames (a larger frame goes alone). */
  private static final int BATCH_BYTES = 1 << 20;
  /** A request larger than this never holds back the frames behind it. */
  static final int HOLD_BACK_MAX_BYTES = 64 * 1024;
  private static final long FIRST_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 1000;

  private final HttpTransport transport;
  private final String address;
  private final InetSocketAddress unresolvedAddress;
  /** The request head up to and including {@code "Content-Length: "}; null over TLS, whose client writes its own. */
  private final byte[] head;
  private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
  private final List<PeerSender> connections = new ArrayList<>();
  private long backoffMs;
  /** No new connection before this; in the past until a connect fails. */
  private long retryAtNanos = System.nanoTime();

  /** @throws IllegalArgumentException when {@code address} is not {@code HOST:PORT} */
  PeerLink(HttpTransport transport, String address) {
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("not an IP:PORT address: " + address);
    }
    this.transport = transport;
    this.address = address;
    this.unresolvedAddress = InetSocketAddress.createUnresolved(address.substring(0, colon),
        Integer.parseInt(address.substring(colon + 1)));
    this.head = transport.tlsClient() != null ? null : requestHead(address, transport.self(), transport.secret());
  }

  private static byte[] requestHead(String address, String self, String secret) {
    return ("POST " + HttpTransport.PATH + " HTTP/1.1\r\nHost: " + address
        + "\r\nContent-Type: application/octet-stream\r\n" + HttpTransport.FROM_HEADER + ": " + self + "\r\n"
        + HttpTransport.REPLIES_HEADER + ": 1\r\n"
        + (secret == null ? "" : HttpTransport.SECRET_HEADER + ": " + secret + "\r\n")
        + "Content-Length: ").getBytes(StandardCharsets.UTF_8);
  }

  String address() {
    return address;
  }

  /**
   * The peer's socket address, its host looked up again for each new connection; unresolved
   * (the connect then fails and is retried with backoff) while the name does not resolve.
   */
  InetSocketAddress resolvedAddress() {
    try {
      return new InetSocketAddress(transport.resolver().resolve(unresolvedAddress.getHostString()),
          unresolvedAddress.getPort());
    } catch (java.net.UnknownHostException e) {
      return unresolvedAddress;
    }
  }

  /** Queues a frame; false when it was dropped. */
  synchronized boolean offer(byte[] frame) {
    if (waiting.size() >= HttpTransport.QUEUE_LIMIT_PER_PEER) {
      LOG.debug("{} drops a frame to {}: {} frames already wait", transport.self(), address, waiting.size());
      return false;
    }
    waiting.add(frame);
    return true;
  }

  /** Puts waiting frames on free connections, opening one if allowed. Never blocks. */
  synchronized void pump() {
    while (!waiting.isEmpty() && !transport.isClosed() && noQuickRequestInFlight()) {
      PeerSender connection = idleConnection();
      if (connection == null) {
        if (connections.size() >= HttpTransport.IN_FLIGHT_PER_PEER || backingOff()) {
          return;
        }
        connection = newConnection();
      }
      List<byte[]> batch = takeBatch();
      connection.start(request(batch), batch.size());
    }
  }

  /**
   * Measured (bench, 6 nodes, 50/50): with a second request starting whenever a frame came while
   * one was out, a request carried 1.38 frames on average, and the peer's HTTP handling of each
   * was most of a write's cost; waiting for a quick request to return raised that to 1.75. A
   * large request (a shard transfer) holds nothing back, and a small one that turns slow (a
   * stalled peer) only until the tick after {@link HttpTransport#SLOW_REQUEST_MS}: at most
   * about two ticks.
   */
  private boolean noQuickRequestInFlight() {
    long now = System.nanoTime();
    for (PeerSender c : connections) {
      if (c.holdsBackOthers(transport.slowRequestNanos(), HOLD_BACK_MAX_BYTES, now)) {
        return false;
      }
    }
    return true;
  }

  private boolean backingOff() {
    return System.nanoTime() - retryAtNanos < 0;
  }

  private PeerSender idleConnection() {
    for (PeerSender c : connections) {
      if (c.state() == PeerSender.State.IDLE) {
        return c;
      }
    }
    return null;
  }

  private PeerSender newConnection() {
    TlsPeerClient tls = transport.tlsClient();
    PeerSender connection = tls != null ? new TlsPeerSender(this, tls)
        : new PeerConnection(this, transport.selector(), transport.requestTimeoutNanos());
    connections.add(connection);
    return connection;
  }

  private List<byte[]> takeBatch() {
    List<byte[]> batch = new ArrayList<>(Math.min(waiting.size(), 64));
    int bytes = 0;
    while (!waiting.isEmpty() && (batch.isEmpty() || bytes + waiting.peek().length + 4 <= BATCH_BYTES)) {
      byte[] f = waiting.poll();
      batch.add(f);
      bytes += f.length + 4;
    }
    return batch;
  }

  /**
   * The whole request: head, Content-Length, and the frames as a {@link FrameBatch}; over TLS
   * the body alone.
   */
  private ByteBuffer request(List<byte[]> frames) {
    int bodyLength = 0;
    for (byte[] f : frames) {
      bodyLength += 4 + f.length;
    }
    if (head == null) {
      ByteBuffer body = ByteBuffer.allocate(bodyLength);
      for (byte[] f : frames) {
        body.putInt(f.length).put(f);
      }
      return body.flip();
    }
    byte[] length = (bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out = ByteBuffer.allocate(head.length + length.length + bodyLength);
    out.put(head).put(length);
    for (byte[] f : frames) {
      out.putInt(f.length).put(f);
    }
    return out.flip();
  }

  /** Sends {@code request} ({@code frames} frames) again on a new connection; false once the transport is closed. */
  synchronized boolean resend(ByteBuffer request, int frames) {
    if (transport.isClosed()) {
      return false;
    }
    newConnection().start(request.rewind(), frames);
    return true;
  }

  /** Over TLS, where no selector thread reads answers: hands frames an answer carried back to the node. */
  void deliverCarriedBack(List<byte[]> frames) {
    transport.carriedBack(address, frames);
  }

  /** A closed connection leaves the link. */
  synchronized void forget(PeerSender connection) {
    connections.remove(connection);
  }

  /** The peer could not be reached: what waits for it is dropped, and new connections wait a while. */
  synchronized void unreachable(String why) {
    int dropped = waiting.size();
    waiting.clear();
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs == 0 ? FIRST_BACKOFF_MS : backoffMs * 2);
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    LOG.debug("{} cannot reach {} ({} waiting frames dropped): {}", transport.self(), address, dropped, why);
  }

  synchronized void reachable() {
    backoffMs = 0;
  }

  /** Times out connects and requests, closes long-idle connections, and retries after backoff. */
  synchronized void tick(long nowNanos) {
    for (PeerSender connection : new ArrayList<>(connections)) {
      connection.tick(nowNanos);
    }
    flushLaterIfWaiting();
  }

  /** Has the next flush pump this link if frames wait (the selector thread flushes after each wake-up). */
  synchronized void flushLaterIfWaiting() {
    if (!waiting.isEmpty()) {
      transport.flushLater(this);
    }
  }

  /** Drops the frames waiting and closes every connection. */
  synchronized void close() {
    waiting.clear();
    for (PeerSender connection : new ArrayList<>(connections)) {
      connection.close();
    }
  }

  /** Nothing waits or is in flight, or what waits cannot leave now (the peer is unreachable). */
  synchronized boolean delivered() {
    return requestsInFlight() == 0 && (waiting.isEmpty() || backingOff());
  }

  /** Frames waiting for a connection: the queue's depth. */
  synchronized int framesWaiting() {
    return waiting.size();
  }

  /** Frames in requests started and not yet answered (or failed). */
  synchronized int framesInFlight() {
    int frames = 0;
    for (PeerSender c : connections) {
      frames += c.framesInFlight();
    }
    return frames;
  }

  /** Requests started and not yet answered (or failed); for tests. */
  synchronized int requestsInFlight() {
    int busy = 0;
    for (PeerSender c : connections) {
      if (c.state() != PeerSender.State.IDLE) {
        busy++;
      }
    }
    return busy;
  }
}
