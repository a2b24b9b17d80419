package io.kvs.http;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames for one peer and the one long-lived stream that carries them. A message is out at
 * most once at a time; frames queued meanwhile leave together in the next one, so a busy link
 * batches by itself and an idle one sends each round's frames at once.
 *
 * <p>Connects lazily, when frames wait. A stream the peer closed (an idle timeout, a restart) is
 * replaced at once, keeping the frames that wait. A peer that cannot be reached, or a send
 * stalled past the request timeout (a partition, a stopped process), drops what waits (the core
 * re-sends what matters) and is tried again after a backoff, 50 ms doubling to 1 s.
 *
 * <p>Time comes from an injected ticker and deadlines are checked by {@link #tick}, so tests
 * drive it in virtual time. Its monitor guards its state; sends and connects start outside it, so a socket that
 * completes at once, on the calling thread, re-enters nothing.
 */
final class PeerStream {
  private static final Logger LOG = LoggerFactory.getLogger(PeerStream.class);
  /** A message carries at most this many bytes of frames (a larger frame goes alone). */
  static final int BATCH_BYTES = 1 << 20;
  static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long FIRST_BACKOFF_MS = 50;
  private static final long MAX_BACKOFF_MS = 1000;

  private final String self;
  private final String address;
  private final StreamSocket.Connector connector;
  private final LongSupplier nanoTime;
  private final long sendTimeoutNanos;
  private final int queueLimit;
  private final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
  private StreamSocket socket;
  /** Bumped whenever the stream is replaced, so that callbacks of an older one are ignored. */
  private long generation;
  private boolean connecting;
  private boolean sending;
  private long startedNanos;
  private long backoffMs;
  private long retryAtNanos;
  private boolean closed;

  PeerStream(String self, String address, StreamSocket.Connector connector, LongSupplier nanoTime,
             long sendTimeoutNanos, int queueLimit) {
    this.self = self;
    this.address = address;
    this.connector = connector;
    this.nanoTime = nanoTime;
    this.sendTimeoutNanos = sendTimeoutNanos;
    this.queueLimit = queueLimit;
    this.retryAtNanos = nanoTime.getAsLong();
  }

  String address() {
    return address;
  }

  /** Queues a frame; false when it was dropped (closed, or too many wait). */
  synchronized boolean offer(byte[] frame) {
    if (closed || waiting.size() >= queueLimit) {
      LOG.debug("{} drops a frame to {}: {} frames wait", self, address, waiting.size());
      return false;
    }
    waiting.add(frame);
    return true;
  }

  /** Sends what waits if the stream is free, or starts connecting. Never blocks. */
  void pump() {
    ByteBuffer message;
    StreamSocket out;
    long sendGeneration;
    synchronized (this) {
      if (closed || waiting.isEmpty() || connecting || sending) {
        return;
      }
      if (socket == null) {
        if (nanoTime.getAsLong() - retryAtNanos < 0) {
          return;
        }
        connecting = true;
        startedNanos = nanoTime.getAsLong();
        sendGeneration = ++generation;
        out = null;
        message = null;
      } else {
        message = encode(takeBatch());
        out = socket;
        sendGeneration = generation;
        sending = true;
        startedNanos = nanoTime.getAsLong();
      }
    }
    if (out == null) {
      connect(sendGeneration);
    } else {
      send(out, message, sendGeneration);
    }
  }

  private void send(StreamSocket out, ByteBuffer message, long sendGeneration) {
    try {
      out.send(message).whenComplete((ok, failure) -> sent(sendGeneration, failure));
    } catch (RuntimeException e) {
      sent(sendGeneration, e);
    }
  }

  private void sent(long sendGeneration, Throwable failure) {
    synchronized (this) {
      if (sendGeneration != generation) {
        return;
      }
      sending = false;
      if (failure != null) {
        replaceStream("send failed: " + failure);
      }
    }
    pump();
  }

  private void connect(long connectGeneration) {
    try {
      connector.connect(address, () -> broken(connectGeneration))
          .whenComplete((opened, failure) -> connected(connectGeneration, opened, failure));
    } catch (RuntimeException e) {
      connected(connectGeneration, null, e);
    }
  }

  private void connected(long connectGeneration, StreamSocket opened, Throwable failure) {
    synchronized (this) {
      if (connectGeneration != generation || closed) {
        if (opened != null) {
          opened.abort();
        }
        return;
      }
      connecting = false;
      if (failure != null) {
        unreachable("cannot connect: " + failure);
        return;
      }
      socket = opened;
      backoffMs = 0;
    }
    pump();
  }

  /** The open stream broke or the peer closed it: a new one carries what waits. */
  private void broken(long brokenGeneration) {
    synchronized (this) {
      if (brokenGeneration != generation || socket == null) {
        return;
      }
      replaceStream("closed by the peer");
    }
    pump();
  }

  /** Under the monitor: drops the current stream (a send in flight is lost); the next pump connects. */
  private void replaceStream(String why) {
    LOG.debug("{}: the stream to {} is replaced: {}", self, address, why);
    StreamSocket old = socket;
    socket = null;
    sending = false;
    generation++;
    if (old != null) {
      old.abort(); // after the generation moved on, so that its own callbacks are ignored
    }
  }

  /** Under the monitor: the peer cannot be reached now; what waits is dropped and we back off. */
  private void unreachable(String why) {
    int dropped = waiting.size();
    waiting.clear();
    backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs == 0 ? FIRST_BACKOFF_MS : backoffMs * 2);
    retryAtNanos = nanoTime.getAsLong() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
    LOG.debug("{} cannot reach {} ({} waiting frames dropped): {}", self, address, dropped, why);
  }

  /**
   * Gives up a connect or a send past its deadline. Call it every tick, then {@link #pump},
   * which retries once the backoff is over.
   */
  synchronized void tick(long nowNanos) {
    if (connecting && nowNanos - startedNanos > CONNECT_TIMEOUT_NANOS) {
      connecting = false;
      generation++;
      unreachable("connect timed out");
    } else if (sending && nowNanos - startedNanos > sendTimeoutNanos) {
      replaceStream("a send stalled");
      unreachable("a send stalled");
    }
  }

  /** Drops what waits and closes the stream. */
  synchronized void close() {
    closed = true;
    waiting.clear();
    replaceStream("closed");
  }

  synchronized boolean isOpen() {
    return socket != null;
  }

  synchronized int framesWaiting() {
    return waiting.size();
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

  private static ByteBuffer encode(List<byte[]> frames) {
    return ByteBuffer.wrap(FrameBatch.encode(frames));
  }
}
