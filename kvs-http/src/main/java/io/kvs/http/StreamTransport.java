package io.kvs.http;

import io.kvs.core.Addresses;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends node-to-node frames over one long-lived stream per peer ({@link PeerStream}), a
 * WebSocket. Per frame it costs a share of one binary message, instead of a share of
 * an HTTP request and its answer, which is what a replicated write spent most of its time on.
 *
 * <p>{@link #send} only queues; {@link #flush} (the node's thread, after each round) starts a
 * message to each peer that has frames and no message out. Fire-and-forget: lost frames are
 * logged at debug level, since the core copes with lost messages. Deadlines are checked by
 * {@link #tick}, every {@value #TICK_MS} ms on a timer thread in production, and by hand with a
 * virtual clock in tests.
 */
final class StreamTransport implements PeerTransport {
  static final long TICK_MS = 50;
  /** Frames waiting for one peer beyond this are dropped (the core re-sends what matters). */
  static final int QUEUE_LIMIT_PER_PEER = 100_000;

  private static final Logger LOG = LoggerFactory.getLogger(StreamTransport.class);

  private final String self;
  private final StreamSocket.Connector connector;
  private final LongSupplier nanoTime;
  private final long sendTimeoutNanos;
  private final ConcurrentHashMap<String, PeerStream> peers = new ConcurrentHashMap<>();
  private final Set<PeerStream> dirty = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService timer;
  private volatile boolean flushOnSend = true;
  private volatile boolean closed;

  /** A transport with no timer: the caller ticks it ({@link #tick}) with times from {@code nanoTime}. */
  StreamTransport(String self, StreamSocket.Connector connector, LongSupplier nanoTime, long sendTimeoutMs) {
    this.self = self;
    this.connector = connector;
    this.nanoTime = nanoTime;
    this.sendTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, sendTimeoutMs));
  }

  /** The production transport: WebSockets, the system clock, and a timer thread that ticks it. */
  static StreamTransport open(String self, String secret, long sendTimeoutMs) {
    StreamTransport transport = new StreamTransport(self, new WebSocketConnector(self, secret), System::nanoTime,
        sendTimeoutMs);
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "kvs-streams-" + self);
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(() -> transport.tick(System.nanoTime()), TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    transport.timer = timer;
    return transport;
  }

  @Override
  public void flushAfterEachRound() {
    flushOnSend = false;
  }

  @Override
  public void send(String address, byte[] frame) {
    if (closed) {
      return;
    }
    PeerStream peer = peers.get(address);
    if (peer == null) {
      if (!Addresses.valid(address)) {
        LOG.debug("{} cannot send to {}: not an IP:PORT address", self, address);
        return;
      }
      peer = peers.computeIfAbsent(address, a -> new PeerStream(self, a, connector, nanoTime, sendTimeoutNanos,
          QUEUE_LIMIT_PER_PEER));
    }
    if (peer.offer(frame)) {
      dirty.add(peer);
      if (flushOnSend) {
        flush();
      }
    }
  }

  @Override
  public void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    for (PeerStream peer : dirty) {
      dirty.remove(peer);
      peer.pump();
    }
  }

  /** Gives up stalled connects and sends, and retries links whose backoff is over. */
  void tick(long nowNanos) {
    for (PeerStream peer : peers.values()) {
      try {
        peer.tick(nowNanos);
        peer.pump();
      } catch (RuntimeException e) {
        // one link's bug must not stop the ticks of the others
        LOG.error("{}: the tick of the stream to {} failed", self, peer.address(), e);
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    ScheduledExecutorService t = timer;
    if (t != null) {
      t.shutdownNow();
    }
    peers.values().forEach(PeerStream::close);
    connector.close();
  }

  /** The stream to {@code address}, if one was ever needed; for tests. */
  PeerStream peer(String address) {
    return peers.get(address);
  }
}
