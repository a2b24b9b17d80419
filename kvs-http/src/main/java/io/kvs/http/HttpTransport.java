package io.kvs.http;

import io.kvs.core.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends node-to-node frames as {@code POST http://<address>/internal/message} over keep-alive
 * HTTP/1.1 connections ({@code https} when the node has TLS: then {@link TlsPeerClient} carries
 * the requests instead of {@link PeerConnection}s, and everything else here stays the same).
 * Per peer, one request is in flight: frames sent while none is leave at once, and frames sent
 * meanwhile wait in a bounded queue and leave together in the next request ({@link PeerLink},
 * {@link FrameBatch}). When the request in flight is large (a shard
 * transfer) or has been out for {@value #SLOW_REQUEST_MS} ms (noticed at the next tick), a
 * second may start on a second connection, so small frames do not wait behind it for long. Fire-and-forget: failures are logged at debug level
 * and dropped, since the core copes with lost messages.
 *
 * <p>{@link #send} only queues, so the node's thread never waits for the network. The queued
 * frames leave when the node's thread has finished its current round of work
 * ({@link #flush}, called by {@link NodeThread} after each round): everything a round sent to a
 * peer travels in one request. A request is written straight from the thread that flushes
 * (non-blocking; what the socket does not take at once is finished by the selector thread),
 * and one selector thread per node reads every answer ({@link TransportSelector}), so an
 * exchange costs no thread hand-off of its own, and a busy node handles many answers per wake-up.
 *
 * <p>A request says (header {@value #REPLIES_HEADER}) that its answer may carry frames back: the
 * receiving node, while it handles the request's frames, puts the frames it sends to the
 * requesting node (a write's acknowledgement, typically) into the answer instead of a request
 * of its own ({@link #capture}). So a replicated write costs one exchange per peer, not two.
 */
final class HttpTransport implements Transport, AutoCloseable {
  /** Path of the node-to-node endpoint. */
  static final String PATH = "/internal/message";
  /** Header naming the sending node's address. */
  static final String FROM_HEADER = "X-Kvs-From";
  /** Header carrying the optional cluster secret. */
  static final String SECRET_HEADER = "X-Kvs-Secret";
  /** Request header: the sender takes frames for it in the answer (200 with a {@link FrameBatch}). */
  static final String REPLIES_HEADER = "X-Kvs-Replies";

  static final int IN_FLIGHT_PER_PEER = 2;
  /** A request in flight this long no longer holds back the frames waiting behind it (checked each tick). */
  static final long SLOW_REQUEST_MS = TransportSelector.TICK_MS;
  /** Frames waiting for one peer beyond this are dropped (the core re-sends what matters). */
  static final int QUEUE_LIMIT_PER_PEER = 100_000;
  /** Frames carried back in one answer: more go in requests of their own. */
  static final int CARRY_BACK_MAX_BYTES = 16 * 1024;

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  private final String self;
  private final String secret;
  private volatile HostResolver resolver = HostResolver.SYSTEM;
  private final long requestTimeoutNanos;
  private final long slowRequestNanos;
  private final ConcurrentHashMap<String, PeerLink> peers = new ConcurrentHashMap<>();
  /** Peers with frames waiting for a flush. */
  private final Set<PeerLink> dirty = ConcurrentHashMap.newKeySet();
  /** Frames for the node that sent the request this thread is handling (see {@link #capture}). */
  private final ThreadLocal<Capture> capturing = new ThreadLocal<>();
  private final TransportSelector selector;
  /** The HTTPS client of a cluster with TLS; null in plaintext, where {@link PeerConnection}s carry requests. */
  private final TlsPeerClient tlsClient;
  private volatile BiConsumer<String, List<byte[]>> receiver;
  /** True until {@link #flushAfterEachRound} says someone calls {@link #flush}. */
  private volatile boolean flushOnSend = true;
  private volatile boolean closed;

  private record Capture(String peer, List<byte[]> frames) {}

  /**
   * @param self this node's address, sent as {@value #FROM_HEADER}
   * @param secret the cluster secret, or null
   * @param requestTimeoutMs how long one delivery may take before it is given up
   */
  HttpTransport(String self, String secret, long requestTimeoutMs) {
    this(self, secret, requestTimeoutMs, null);
  }

  /** As above, over HTTPS with {@code tls} (a client context trusting the peers), or plaintext when null. */
  HttpTransport(String self, String secret, long requestTimeoutMs, javax.net.ssl.SSLContext tls) {
    this(self, secret, requestTimeoutMs, SLOW_REQUEST_MS, tls);
  }

  /** As above, with how long a request in flight holds back the next ({@link #SLOW_REQUEST_MS}). */
  HttpTransport(String self, String secret, long requestTimeoutMs, long slowRequestMs) {
    this(self, secret, requestTimeoutMs, slowRequestMs, null);
  }

  private HttpTransport(String self, String secret, long requestTimeoutMs, long slowRequestMs,
                        javax.net.ssl.SSLContext tls) {
    this.tlsClient = tls == null ? null : new TlsPeerClient(self, secret, requestTimeoutMs, tls);
    this.slowRequestNanos = TimeUnit.MILLISECONDS.toNanos(slowRequestMs);
    this.self = self;
    this.secret = secret;
    this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, requestTimeoutMs));
    this.selector = new TransportSelector("kvs-transport-" + self, this::tick, this::flushIfDirty, this::deliver);
    selector.start();
  }

  /** Where frames carried back in answers go: the node's {@code receive(from, frames)}. */
  void receiveRepliesWith(BiConsumer<String, List<byte[]>> receiver) {
    this.receiver = receiver;
  }

  /**
   * From now on, queued frames leave on {@link #flush} (the node's thread calls it after each
   * round of work), not on every {@link #send}.
   */
  public void flushAfterEachRound() {
    flushOnSend = false;
  }

  /**
   * Runs {@code work} (the node handling frames from {@code peer}) and returns the frames the
   * node sent to {@code peer} meanwhile from this thread, to go back in the answer; they are
   * not queued.
   */
  List<byte[]> capture(String peer, Runnable work) {
    Capture previous = capturing.get();
    Capture capture = new Capture(peer, new ArrayList<>());
    capturing.set(capture);
    try {
      work.run();
    } finally {
      capturing.set(previous);
    }
    long bytes = 0;
    for (byte[] f : capture.frames()) {
      bytes += f.length + 4;
    }
    if (bytes <= CARRY_BACK_MAX_BYTES) {
      return capture.frames();
    }
    // too much for an answer (a shard transfer, say): it goes the usual way
    capture.frames().forEach(f -> send(peer, f));
    return List.of();
  }

  @Override
  public void send(String address, byte[] frame) {
    if (closed) {
      return;
    }
    Capture capture = capturing.get();
    if (capture != null && capture.peer().equals(address)) {
      capture.frames().add(frame);
      return;
    }
    try {
      PeerLink peer = peers.computeIfAbsent(address, a -> new PeerLink(this, a));
      if (peer.offer(frame)) {
        dirty.add(peer);
        if (flushOnSend) {
          flush();
        }
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot send to {}: {}", address, e.toString());
    }
  }

  /** Starts a request to every peer with frames waiting and a connection free. Never blocks. */
  public void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    for (PeerLink peer : dirty) {
      dirty.remove(peer);
      peer.pump();
    }
  }

  /**
   * Sends what waits, then closes every link once it has left, or once {@code timeoutMs} have
   * passed; a peer that cannot be reached is not waited for. A node's goodbye leaves this way.
   */
  public void closeAfterSending(long timeoutMs) {
    flush();
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (!delivered() && System.nanoTime() < deadline) {
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
    }
    close();
  }

  private boolean delivered() {
    for (PeerLink peer : peers.values()) {
      if (!peer.delivered()) {
        return false;
      }
    }
    return true;
  }

  /** Stops the selector thread and closes every connection; frames waiting or in flight are dropped. */
  @Override
  public void close() {
    closed = true;
    for (PeerLink peer : peers.values()) {
      peer.close();
    }
    selector.close();
    if (tlsClient != null) {
      tlsClient.close();
    }
  }

  /** The links to every peer sent to so far, for the metrics; read-only use. */
  java.util.Collection<PeerLink> links() {
    return java.util.Collections.unmodifiableCollection(peers.values());
  }

  /** Requests to {@code address} started and not yet answered or given up; for tests. */
  int requestsInFlight(String address) {
    PeerLink peer = peers.get(address);
    return peer == null ? 0 : peer.requestsInFlight();
  }

  // --- for the links and the selector thread ---

  String self() {
    return self;
  }

  /** Looks up peers' host names from now on; for tests that stand in for DNS. */
  void resolveWith(HostResolver resolver) {
    this.resolver = resolver;
  }

  HostResolver resolver() {
    return resolver;
  }

  String secret() {
    return secret;
  }

  long requestTimeoutNanos() {
    return requestTimeoutNanos;
  }

  long slowRequestNanos() {
    return slowRequestNanos;
  }

  TransportSelector selector() {
    return selector;
  }

  /** The HTTPS client to peers, or null in plaintext. */
  TlsPeerClient tlsClient() {
    return tlsClient;
  }

  /** Hands frames an answer carried back from {@code from} to the node (over TLS, from the client's threads). */
  void carriedBack(String from, List<byte[]> frames) {
    deliver(from, frames);
  }

  boolean isClosed() {
    return closed;
  }

  /** Has the next {@link #flush} pump {@code peer}. */
  void flushLater(PeerLink peer) {
    dirty.add(peer);
  }

  private void flushIfDirty() {
    if (flushOnSend || !dirty.isEmpty()) {
      flush();
    }
  }

  private void tick(long nowNanos) {
    for (PeerLink peer : peers.values()) {
      try {
        peer.tick(nowNanos);
      } catch (RuntimeException e) {
        // the tick is what times out and pumps every link: one link's bug must not stop the rest
        LOG.error("{}: the tick of the link to {} failed", self, peer.address(), e);
      }
    }
  }

  /** On the selector thread: hands frames carried back in an answer to the node. */
  private void deliver(String from, List<byte[]> frames) {
    BiConsumer<String, List<byte[]>> to = receiver;
    if (to == null) {
      return;
    }
    try {
      to.accept(from, frames);
    } catch (RuntimeException e) {
      LOG.error("unexpected failure handing frames to the node", e);
    }
  }
}
