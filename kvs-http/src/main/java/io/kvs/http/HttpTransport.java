package io.kvs.http;

import io.kvs.core.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends node-to-node frames as {@code POST http://<address>/internal/message} over keep-alive
 * HTTP/1.1 connections. Per peer, at most {@value #IN_FLIGHT_PER_PEER} requests are in flight,
 * each on its own connection: frames sent while a connection is free leave at once, and frames
 * sent meanwhile wait in a bounded queue and leave together in the next request
 * ({@link FrameBatch}). Fire-and-forget: failures are logged at debug level and dropped, since
 * the core copes with lost messages.
 *
 * <p>{@link #send} only queues, so the node's thread never waits for the network. The queued
 * frames leave when the node's thread has finished its current round of work
 * ({@link #flush}, called by {@link NodeThread} after each round): everything a round sent to a
 * peer travels in one request. A request is written straight from the thread that flushes
 * (non-blocking; what the socket does not take at once is finished by the selector thread),
 * and one selector thread per node reads every answer, so an exchange costs no thread
 * hand-off of its own, and a busy node handles many answers per wake-up.
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
  /** Frames waiting for one peer beyond this are dropped (the core re-sends what matters). */
  static final int QUEUE_LIMIT_PER_PEER = 100_000;
  /** Frames carried back in one answer: more go in requests of their own. */
  static final int CARRY_BACK_MAX_BYTES = 16 * 1024;
  private static final int BATCH_BYTES = 1 << 20;
  /** A connection with nothing to send for this long is closed. */
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(15);
  private static final long CONNECT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final long MAX_BACKOFF_MS = 1000;
  /** Larger answers are not read (the connection is closed instead). */
  private static final long MAX_REPLY_BYTES = 64L << 20;
  private static final long TICK_MS = 50;

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  private final String self;
  private final String secret;
  private final long requestTimeoutNanos;
  private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();
  /** Peers with frames waiting for a flush. */
  private final Set<Peer> dirty = ConcurrentHashMap.newKeySet();
  /** Frames for the node that sent the request this thread is handling (see {@link #capture}). */
  private final ThreadLocal<Capture> capturing = new ThreadLocal<>();
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
  private final Thread selectorThread;
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
    this.self = self;
    this.secret = secret;
    this.requestTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(1, requestTimeoutMs));
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector: " + e.getMessage(), e);
    }
    selectorThread = new Thread(this::selectLoop, "kvs-transport-" + self);
    selectorThread.setDaemon(true);
    selectorThread.start();
  }

  /** Where frames carried back in answers go: the node's {@code receive(from, frames)}. */
  void receiveRepliesWith(BiConsumer<String, List<byte[]>> receiver) {
    this.receiver = receiver;
  }

  /**
   * From now on, queued frames leave on {@link #flush} (the node's thread calls it after each
   * round of work), not on every {@link #send}.
   */
  void flushAfterEachRound() {
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
      Peer peer = peers.computeIfAbsent(address, Peer::new);
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
  void flush() {
    if (dirty.isEmpty()) {
      return;
    }
    for (Peer peer : dirty) {
      dirty.remove(peer);
      peer.pump();
    }
  }

  // --- per peer ---

  /** One peer's link: the frames waiting and its connections. */
  private final class Peer {
    final String address;
    final InetSocketAddress socketAddress;
    /** The request head up to and including {@code "Content-Length: "}. */
    final byte[] head;
    final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    final List<Conn> conns = new ArrayList<>();
    long backoffMs;
    long retryAtNanos;

    Peer(String address) {
      int colon = address.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("not an IP:PORT address: " + address);
      }
      this.address = address;
      this.socketAddress = InetSocketAddress.createUnresolved(address.substring(0, colon),
          Integer.parseInt(address.substring(colon + 1)));
      this.head = ("POST " + PATH + " HTTP/1.1\r\nHost: " + address
          + "\r\nContent-Type: application/octet-stream\r\n" + FROM_HEADER + ": " + self + "\r\n"
          + REPLIES_HEADER + ": 1\r\n"
          + (secret == null ? "" : SECRET_HEADER + ": " + secret + "\r\n")
          + "Content-Length: ").getBytes(StandardCharsets.UTF_8);
    }

    /** Queues a frame; false when it was dropped. */
    synchronized boolean offer(byte[] frame) {
      if (waiting.size() >= QUEUE_LIMIT_PER_PEER) {
        LOG.debug("{} drops a frame to {}: {} frames already wait", self, address, waiting.size());
        return false;
      }
      waiting.add(frame);
      return true;
    }

    /** Puts waiting frames on free connections (opening one if allowed). */
    synchronized void pump() {
      while (!waiting.isEmpty() && !closed) {
        Conn conn = null;
        for (Conn c : conns) {
          if (c.state == State.IDLE) {
            conn = c;
            break;
          }
        }
        if (conn == null) {
          if (conns.size() >= IN_FLIGHT_PER_PEER || System.nanoTime() - retryAtNanos < 0) {
            return;
          }
          conn = new Conn(this);
          conns.add(conn);
        }
        conn.start(request(takeBatch()));
      }
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

    private ByteBuffer request(List<byte[]> frames) {
      int bodyLength = 0;
      for (byte[] f : frames) {
        bodyLength += 4 + f.length;
      }
      byte[] length = (bodyLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
      ByteBuffer out = ByteBuffer.allocate(head.length + length.length + bodyLength);
      out.put(head).put(length);
      for (byte[] f : frames) {
        out.putInt(f.length).put(f);
      }
      return out.flip();
    }

    /** The peer could not be reached: what waits for it is dropped, and new connections wait a while. */
    synchronized void unreachable(String why) {
      int dropped = waiting.size();
      waiting.clear();
      backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs == 0 ? 50 : backoffMs * 2);
      retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
      LOG.debug("{} cannot reach {} ({} waiting frames dropped): {}", self, address, dropped, why);
    }

    synchronized void reachable() {
      backoffMs = 0;
    }
  }

  private enum State { CONNECTING, SENDING, AWAITING, IDLE, CLOSED }

  /**
   * One keep-alive connection to a peer. State changes happen under the peer's lock; reads and
   * the completion of partial writes happen on the selector thread.
   */
  private final class Conn {
    final Peer peer;
    State state = State.CONNECTING;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer outgoing;
    /** The request in flight, kept to resend it once when a reused connection turns out closed. */
    ByteBuffer request;
    boolean reused;
    long deadline;
    long idleSince;
    byte[] in = new byte[512];
    int inLength;

    Conn(Peer peer) {
      this.peer = peer;
    }

    /** Sends {@code req} on this connection, opening it first if needed (under the peer's lock). */
    void start(ByteBuffer req) {
      request = req;
      outgoing = req.duplicate();
      inLength = 0;
      if (channel == null) {
        open();
        return;
      }
      reused = true;
      state = State.SENDING;
      deadline = System.nanoTime() + requestTimeoutNanos;
      write();
    }

    private void open() {
      state = State.CONNECTING;
      reused = false;
      deadline = System.nanoTime() + CONNECT_TIMEOUT_NANOS;
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        InetSocketAddress resolved = new InetSocketAddress(peer.socketAddress.getHostString(),
            peer.socketAddress.getPort());
        boolean connected = channel.connect(resolved);
        SocketChannel ch = channel;
        onSelector(() -> register(ch, connected));
      } catch (IOException | RuntimeException e) {
        failed(e);
      }
    }

    /** On the selector thread: registers the new channel. */
    private void register(SocketChannel ch, boolean connected) {
      synchronized (peer) {
        if (channel != ch || state == State.CLOSED) {
          return;
        }
        try {
          key = ch.register(selector, connected ? 0 : SelectionKey.OP_CONNECT, this);
          if (connected) {
            connected();
          }
        } catch (IOException | RuntimeException e) {
          failed(e);
        }
      }
    }

    /** Under the peer's lock, on the selector thread. */
    void connected() {
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
      deadline = System.nanoTime() + requestTimeoutNanos;
      write();
    }

    /** Writes what the socket takes now; the rest waits for OP_WRITE. Under the peer's lock. */
    void write() {
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
      SelectionKey k = key;
      if (k == null) {
        return;
      }
      if (Thread.currentThread() == selectorThread) {
        if (k.isValid()) {
          k.interestOps(ops);
        }
      } else if (k.isValid() && k.interestOps() != ops) {
        onSelector(() -> {
          synchronized (peer) {
            if (key == k && k.isValid()) {
              k.interestOps(ops);
            }
          }
        });
      }
    }

    /**
     * On the selector thread: reads the answer; when it is complete, hands the frames it
     * carries to the node and starts the next request. Returns frames to deliver, or null.
     */
    List<byte[]> read() throws IOException {
      while (true) {
        if (inLength == in.length) {
          in = Arrays.copyOf(in, in.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
        if (n < 0) {
          throw new IOException("connection closed by " + peer.address);
        }
        if (n == 0) {
          return null;
        }
        inLength += n;
        if (state != State.AWAITING) {
          throw new IOException("unexpected bytes from " + peer.address);
        }
        Answer answer = Answer.parse(in, inLength);
        if (answer == null) {
          if (inLength > MAX_REPLY_BYTES) {
            throw new IOException("answer too large");
          }
          continue;
        }
        if (answer.status != 204 && answer.status != 200) {
          LOG.debug("frames to {} refused with status {}", peer.address, answer.status);
        }
        List<byte[]> frames = null;
        if (answer.status == 200 && answer.bodyLength > 0) {
          try {
            frames = FrameBatch.decode(Arrays.copyOfRange(in, answer.bodyStart, answer.bodyStart + answer.bodyLength));
          } catch (RuntimeException e) {
            LOG.debug("frames carried back from {} dropped: {}", peer.address, e.toString());
          }
        }
        request = null;
        if (answer.close || answer.end < inLength) {
          close();
        } else {
          state = State.IDLE;
          idleSince = System.nanoTime();
          inLength = 0;
        }
        return frames;
      }
    }

    /** Drops the request in flight (or sends it again, once, if a reused connection was closed). */
    void failed(Exception e) {
      ByteBuffer retry = reused && state == State.AWAITING || reused && state == State.SENDING ? request : null;
      boolean connecting = state == State.CONNECTING;
      close();
      if (retry != null && !closed) {
        // the peer may have closed an idle keep-alive connection: try once more on a new one
        Conn again = new Conn(peer);
        peer.conns.add(again);
        again.start(retry.rewind());
        again.reused = false;
        return;
      }
      if (connecting) {
        peer.unreachable(e.toString());
      } else {
        LOG.debug("frames to {} lost: {}", peer.address, e.toString());
      }
    }

    void close() {
      state = State.CLOSED;
      peer.conns.remove(this);
      request = null;
      SelectionKey k = key;
      key = null;
      if (k != null) {
        k.cancel();
      }
      SocketChannel ch = channel;
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
  }

  /** The head of an answer: status, whether the connection closes, and where the body lies. */
  private record Answer(int status, boolean close, int bodyStart, int bodyLength, int end) {
    /** Parses an answer from {@code b[0..len)}; null while incomplete. */
    static Answer parse(byte[] b, int len) throws IOException {
      int headEnd = -1;
      for (int i = 3; i < len; i++) {
        if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
          headEnd = i - 3;
          break;
        }
      }
      if (headEnd < 0) {
        return null;
      }
      String head = new String(b, 0, headEnd, StandardCharsets.ISO_8859_1);
      int status;
      try {
        status = Integer.parseInt(head.substring(9, 12));
      } catch (RuntimeException e) {
        throw new IOException("not an HTTP answer");
      }
      long length = 0;
      boolean close = false;
      for (String line : head.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
        if (name.equalsIgnoreCase("Content-Length")) {
          length = Long.parseLong(value);
        } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
          throw new IOException("chunked answers are not expected");
        } else if (name.equalsIgnoreCase("Connection") && value.contains("close")) {
          close = true;
        }
      }
      if (length > MAX_REPLY_BYTES) {
        throw new IOException("answer too large");
      }
      int bodyStart = headEnd + 4;
      if (len - bodyStart < length) {
        return null;
      }
      return new Answer(status, close, bodyStart, (int) length, bodyStart + (int) length);
    }
  }

  // --- the selector thread ---

  private void onSelector(Runnable task) {
    selectorTasks.add(task);
    selector.wakeup();
  }

  private void selectLoop() {
    long nextTick = System.nanoTime();
    try {
      while (!closed) {
        selector.select(TICK_MS);
        for (Runnable task = selectorTasks.poll(); task != null; task = selectorTasks.poll()) {
          task.run();
        }
        List<Runnable> deliveries = null;
        for (SelectionKey key : selector.selectedKeys()) {
          Conn conn = (Conn) key.attachment();
          Runnable delivery = ready(key, conn);
          if (delivery != null) {
            if (deliveries == null) {
              deliveries = new ArrayList<>();
            }
            deliveries.add(delivery);
          }
        }
        selector.selectedKeys().clear();
        if (deliveries != null) {
          deliveries.forEach(HttpTransport::runQuietly);
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          nextTick = now + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
          tick(now);
        }
        if (flushOnSend || !dirty.isEmpty()) {
          flush();
        }
      }
    } catch (ClosedSelectorException e) {
      // closed
    } catch (IOException | RuntimeException | Error e) {
      if (!closed) {
        LOG.error("{} transport stopped unexpectedly", self, e);
      }
    }
  }

  /** Handles one ready key; returns the hand-off of carried-back frames to run afterwards. */
  private Runnable ready(SelectionKey key, Conn conn) {
    Peer peer = conn.peer;
    List<byte[]> frames;
    synchronized (peer) {
      if (conn.key != key || !key.isValid()) {
        return null;
      }
      try {
        if (key.isConnectable()) {
          conn.connected();
          return null;
        }
        if (key.isWritable() && conn.state == State.SENDING) {
          conn.write();
        }
        if (!key.isValid() || !key.isReadable()) {
          return null;
        }
        if (conn.state == State.IDLE) {
          // an idle connection is readable only when the peer closed it
          conn.close();
          return null;
        }
        frames = conn.read();
      } catch (IOException | RuntimeException e) {
        conn.failed(e);
        return null;
      } finally {
        if (!peer.waiting.isEmpty()) {
          dirty.add(peer);
        }
      }
    }
    BiConsumer<String, List<byte[]>> to = receiver;
    if (frames == null || frames.isEmpty() || to == null) {
      return null;
    }
    return () -> to.accept(peer.address, frames);
  }

  /** Times out connects and requests, closes long-idle connections, retries after backoff. */
  private void tick(long now) {
    for (Peer peer : peers.values()) {
      synchronized (peer) {
        for (Conn conn : new ArrayList<>(peer.conns)) {
          boolean waiting = conn.state == State.CONNECTING || conn.state == State.SENDING
              || conn.state == State.AWAITING;
          if (waiting && now - conn.deadline > 0) {
            conn.failed(new IOException("timed out"));
          } else if (conn.state == State.IDLE && now - conn.idleSince > IDLE_NANOS) {
            conn.close();
          }
        }
        if (!peer.waiting.isEmpty()) {
          dirty.add(peer);
        }
      }
    }
  }

  private static void runQuietly(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      LOG.error("unexpected failure handing frames to the node", e);
    }
  }

  /** Stops the selector thread and closes every connection; frames waiting or in flight are dropped. */
  @Override
  public void close() {
    closed = true;
    for (Peer peer : peers.values()) {
      synchronized (peer) {
        peer.waiting.clear();
        for (Conn conn : new ArrayList<>(peer.conns)) {
          conn.close();
        }
      }
    }
    selector.wakeup();
    try {
      selectorThread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
