package io.kvs.bench;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One session's connection in the NIO driver: sends the session's next request when its side
 * is active and nothing is in flight, and takes in the answer as its bytes arrive. Owned by
 * one driver thread.
 */
final class NioConnection {
  /** A failed connection is opened again after this delay, so that a dead target is not hammered. */
  private static final long RETRY_DELAY_NANOS = 50_000_000L;

  private final SideRecording side;
  private final ClientSession session;
  private final RunControl control;
  private final RawHttp.Response response = new RawHttp.Response();
  private Selector selector;
  private SocketChannel channel;
  private SelectionKey key;
  private ByteBuffer outgoing;
  private byte[] in = new byte[8192];
  private int inLength;
  private long sentAtNanos;
  private long retryAtNanos;
  /** A request is on its way or its answer is awaited. */
  private boolean busy;

  NioConnection(SideRecording side, ClientSession session, RunControl control) {
    this.side = side;
    this.session = session;
    this.control = control;
  }

  /** Sets the selector that connections opened from now on register with. */
  void useSelector(Selector selector) {
    this.selector = selector;
  }

  /** True while a request is on its way or its answer is awaited. */
  boolean busy() {
    return busy;
  }

  /** Sends the next request if this side is active and nothing is in flight. */
  void kick() {
    if (busy || control.stopping() || !control.isActive(side.index)) {
      return;
    }
    try {
      if (channel == null) {
        if (System.nanoTime() < retryAtNanos) {
          return;
        }
        open();
      }
      send();
    } catch (IOException | RuntimeException e) {
      failed();
    }
  }

  private void open() throws IOException {
    channel = SocketChannel.open();
    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    channel.socket().connect(BlockingHttp.address(session.target), BlockingHttp.CONNECT_TIMEOUT_MS);
    channel.configureBlocking(false);
    key = channel.register(selector, SelectionKey.OP_READ, this);
  }

  private void send() throws IOException {
    session.next();
    outgoing = ByteBuffer.wrap(session.buffer(), 0, session.length());
    inLength = 0;
    busy = true;
    sentAtNanos = System.nanoTime();
    flush();
  }

  /** Writes what the socket takes of the request; asks for OP_WRITE while some is left. */
  void flush() throws IOException {
    channel.write(outgoing);
    key.interestOps(outgoing.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
  }

  /** Reads what has arrived; on a whole answer, records it and sends the next request. */
  void read() throws IOException {
    while (true) {
      if (inLength == in.length) {
        in = Arrays.copyOf(in, in.length * 2);
      }
      int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
      if (n < 0) {
        throw new IOException("connection closed by the server");
      }
      if (n == 0) {
        return;
      }
      inLength += n;
      if (busy && RawHttp.parse(in, inLength, response)) {
        answered();
        return;
      }
    }
  }

  private void answered() {
    busy = false;
    side.recordLatency(sentAtNanos, System.nanoTime());
    session.onResponse(response, control.measuring());
    if (response.close || control.stopping()) {
      close();
    } else {
      kick();
    }
  }

  /** Counts a failure, drops the connection, and opens a new one after a short delay. */
  void failed() {
    busy = false;
    side.recordFailure(session, control.measuring());
    close();
    retryAtNanos = System.nanoTime() + RETRY_DELAY_NANOS;
  }

  /** Closes the connection if one is open. */
  void close() {
    if (channel != null) {
      BlockingHttp.closeQuietly(channel);
      channel = null;
      key = null;
    }
  }
}
