package io.kvs.http;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One keep-alive connection to a peer, carrying one request at a time: CONNECTING, then
 * SENDING and AWAITING for each request, IDLE between requests, CLOSED at the end.
 *
 * <p>Its state changes under the peer's monitor: callers hold it ({@code synchronized (peer)}),
 * except for {@link #onReady} and the registration task, which take it. A request starts on the
 * thread that flushes, which writes what the socket takes at once; the selector thread
 * finishes connects and partial writes, reads the answer, and times requests out.
 */
final class PeerConnection implements PeerSender {
  private static final Logger LOG = LoggerFactory.getLogger(PeerConnection.class);
  private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** A connection with nothing to send for this long is closed. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);

  private final PeerLink peer;
  private final TransportSelector selector;
  private final long requestTimeoutNanos;
  private final AnswerBuffer answer = new AnswerBuffer();
  private State state = State.CONNECTING;
  private SocketChannel channel;
  private SelectionKey key;
  /** What of the request in flight is still to be written. */
  private ByteBuffer outgoing;
  /** The request in flight, kept to send it again once if a reused connection turns out closed. */
  private ByteBuffer request;
  /** Frames in the request in flight (0 when none is): for the metrics. */
  private int framesOut;
  /** The request in flight went on a connection that had carried one before. */
  private boolean reused;
  private long deadlineNanos;
  private long startedNanos;
  private long idleSinceNanos;

  PeerConnection(PeerLink peer, TransportSelector selector, long requestTimeoutNanos) {
    this.peer = peer;
    this.selector = selector;
    this.requestTimeoutNanos = requestTimeoutNanos;
  }

  PeerLink peer() {
    return peer;
  }

  @Override
  public boolean holdsBackOthers(long nanos, long maxBytes, long nowNanos) {
    boolean busy = state == State.CONNECTING || state == State.SENDING || state == State.AWAITING;
    return busy && request != null && request.capacity() <= maxBytes && nowNanos - startedNanos < nanos;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public int framesInFlight() {
    return framesOut;
  }

  /** Sends {@code req} (a whole HTTP request of {@code frameCount} frames), opening the connection first if it is new. */
  @Override
  public void start(ByteBuffer req, int frameCount) {
    startedNanos = System.nanoTime();
    request = req;
    framesOut = frameCount;
    outgoing = req.duplicate();
    answer.clear();
    if (channel == null) {
      open();
      return;
    }
    reused = true;
    state = State.SENDING;
    deadlineNanos = System.nanoTime() + requestTimeoutNanos;
    write();
  }

  private void open() {
    state = State.CONNECTING;
    reused = false;
    deadlineNanos = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
    try {
      channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      boolean connected = channel.connect(peer.resolvedAddress());
      SocketChannel ch = channel;
      selector.execute(() -> register(ch, connected));
    } catch (IOException | RuntimeException e) {
      failed(e);
    }
  }

  /** On the selector thread: registers the new channel, unless the connection gave up meanwhile. */
  private void register(SocketChannel ch, boolean connected) {
    synchronized (peer) {
      if (channel != ch || state == State.CLOSED) {
        return;
      }
      try {
        key = selector.register(ch, connected ? 0 : SelectionKey.OP_CONNECT, this);
        if (connected) {
          connected();
        }
      } catch (IOException | RuntimeException e) {
        failed(e);
      }
    }
  }

  /**
   * On the selector thread, for the key the selector found ready: finishes connecting, writes
   * the rest of the request, or reads the answer.
   *
   * @return the frames the answer carried back, or null
   */
  List<byte[]> onReady(SelectionKey readyKey) {
    synchronized (peer) {
      if (key != readyKey || !readyKey.isValid()) {
        return null;
      }
      try {
        return act(readyKey);
      } catch (IOException | RuntimeException e) {
        failed(e);
        return null;
      } finally {
        peer.flushLaterIfWaiting();
      }
    }
  }

  private List<byte[]> act(SelectionKey readyKey) throws IOException {
    if (readyKey.isConnectable()) {
      connected();
      return null;
    }
    if (readyKey.isWritable() && state == State.SENDING) {
      write();
    }
    if (!readyKey.isValid() || !readyKey.isReadable()) {
      return null;
    }
    if (state == State.IDLE) {
      // an idle connection is readable only when the peer closed it
      close();
      return null;
    }
    return read();
  }

  private void connected() {
    try {
      if (channel.isConnectionPending() && !channel.finishConnect()) {
        return;
      }
    } catch (IOException e) {
      failed(e);
      return;
    }
    peer.reachable();
    state = State.SENDING;
    deadlineNanos = System.nanoTime() + requestTimeoutNanos;
    write();
  }

  /** Writes what the socket takes now; the rest waits for OP_WRITE. */
  private void write() {
    try {
      channel.write(outgoing);
    } catch (IOException e) {
      failed(e);
      return;
    }
    if (outgoing.hasRemaining()) {
      interest(SelectionKey.OP_WRITE);
    } else {
      state = State.AWAITING;
      interest(SelectionKey.OP_READ);
    }
  }

  private void interest(int ops) {
    if (key != null) {
      selector.interest(key, ops, peer);
    }
  }

  /** Reads what has come of the answer; once it is whole, the connection is free again. */
  private List<byte[]> read() throws IOException {
    while (true) {
      int n = answer.readFrom(channel);
      if (n < 0) {
        throw new IOException("connection closed by " + peer.address());
      }
      if (n == 0) {
        return null;
      }
      if (state != State.AWAITING) {
        throw new IOException("unexpected bytes from " + peer.address());
      }
      HttpAnswer whole = answer.answer();
      if (whole != null) {
        return answered(whole);
      }
    }
  }

  private List<byte[]> answered(HttpAnswer whole) {
    if (whole.status() != 204 && whole.status() != 200) {
      LOG.debug("frames to {} refused with status {}", peer.address(), whole.status());
    }
    List<byte[]> frames = whole.status() == 200 && whole.bodyLength() > 0 ? carriedBack(whole) : null;
    request = null;
    framesOut = 0;
    if (whole.closes() || answer.hasBytesPast(whole)) {
      // bytes past the answer mean the peer does not speak our one-request-at-a-time HTTP
      close();
    } else {
      state = State.IDLE;
      idleSinceNanos = System.nanoTime();
      answer.clear();
    }
    return frames;
  }

  private List<byte[]> carriedBack(HttpAnswer whole) {
    try {
      return FrameBatch.decode(answer.body(whole));
    } catch (RuntimeException e) {
      LOG.debug("frames carried back from {} dropped: {}", peer.address(), e.toString());
      return null;
    }
  }

  /** On the selector thread's tick: gives up a connect or request past its deadline, closes a long-idle connection. */
  @Override
  public void tick(long nowNanos) {
    boolean busy = state == State.CONNECTING || state == State.SENDING || state == State.AWAITING;
    if (busy && nowNanos - deadlineNanos > 0) {
      // not sent again: the peer is slow, not gone, and most likely has the request already
      giveUp(new IOException("timed out"), null);
    } else if (state == State.IDLE && nowNanos - idleSinceNanos > IDLE_NANOS) {
      close();
    }
  }

  /**
   * The connection broke: the request in flight is lost, unless the peer may never have seen
   * it, which then goes once more on a new connection. That is the case of a reused connection
   * the peer had closed while it was idle: it fails while sending, or before any byte of an
   * answer. Once an answer has begun, the peer had the request: sending it again would only
   * hand it the same frames twice.
   */
  void failed(Exception e) {
    boolean unseen = reused && (state == State.SENDING || state == State.AWAITING) && answer.isEmpty();
    giveUp(e, unseen ? request : null);
  }

  private void giveUp(Exception e, ByteBuffer resend) {
    boolean connecting = state == State.CONNECTING;
    int resendFrames = framesOut;
    close();
    if (resend != null && peer.resend(resend, resendFrames)) {
      return;
    }
    if (connecting) {
      peer.unreachable(e.toString());
    } else {
      LOG.debug("frames to {} lost: {}", peer.address(), e.toString());
    }
  }

  @Override
  public void close() {
    state = State.CLOSED;
    peer.forget(this);
    request = null;
    framesOut = 0;
    SelectionKey k = key;
    key = null;
    if (k != null) {
      k.cancel();
    }
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }
}
