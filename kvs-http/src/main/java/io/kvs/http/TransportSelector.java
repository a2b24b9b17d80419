package io.kvs.http;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a node's transport that waits on every peer connection: it finishes
 * connects and partial writes, reads every answer, and every {@value #TICK_MS} ms ticks the
 * links (timeouts, idle connections, backoff). Other threads hand it registrations and
 * interest changes as tasks ({@link #execute}).
 */
final class TransportSelector {
  static final long TICK_MS = 50;

  private static final Logger LOG = LoggerFactory.getLogger(TransportSelector.class);

  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread thread;
  private final LongConsumer tick;
  private final Runnable afterWakeUp;
  private final BiConsumer<String, List<byte[]>> deliver;
  private volatile boolean stopped;

  /** Frames carried back in an answer, handed on once no peer's monitor is held. */
  private record Delivery(String from, List<byte[]> frames) {}

  /**
   * @param threadName the selector thread's name
   * @param tick called every {@value #TICK_MS} ms with {@link System#nanoTime()}
   * @param afterWakeUp called after each wake-up, once answers were handled (the flush)
   * @param deliver takes the frames an answer carried back, and from which peer
   */
  TransportSelector(String threadName, LongConsumer tick, Runnable afterWakeUp,
                    BiConsumer<String, List<byte[]>> deliver) {
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector: " + e.getMessage(), e);
    }
    this.tick = tick;
    this.afterWakeUp = afterWakeUp;
    this.deliver = deliver;
    this.thread = new Thread(this::loop, threadName);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  boolean inSelectorThread() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code task} on the selector thread, soon. */
  void execute(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  /** Registers a connection's channel; on the selector thread only. */
  SelectionKey register(SocketChannel channel, int ops, PeerConnection connection) throws ClosedChannelException {
    return channel.register(selector, ops, connection);
  }

  /**
   * Sets what {@code key} waits for: at once on the selector thread; from another thread as a
   * task run under {@code monitor}, since a selector blocked in select sees an interest set
   * changed elsewhere only after its next wake-up.
   */
  void interest(SelectionKey key, int ops, Object monitor) {
    if (inSelectorThread()) {
      if (key.isValid()) {
        key.interestOps(ops);
      }
    } else if (key.isValid() && key.interestOps() != ops) {
      execute(() -> {
        synchronized (monitor) {
          // a key is cancelled only under the monitor, when its connection closes
          if (key.isValid()) {
            key.interestOps(ops);
          }
        }
      });
    }
  }

  /** Stops the thread (waiting for it a little) and closes the selector. */
  void close() {
    stopped = true;
    selector.wakeup();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  private void loop() {
    long nextTickNanos = System.nanoTime();
    try {
      while (!stopped) {
        selector.select(TICK_MS);
        for (Runnable task = tasks.poll(); task != null; task = tasks.poll()) {
          guarded("a task", task);
        }
        // frames are handed on after every key was handled, so no peer's monitor is held
        for (Delivery d : readyKeysGuarded()) {
          deliverGuarded(d);
        }
        long now = System.nanoTime();
        if (now - nextTickNanos >= 0) {
          nextTickNanos = now + TimeUnit.MILLISECONDS.toNanos(TICK_MS);
          guarded("a tick", () -> tick.accept(now));
        }
        guarded("a flush", afterWakeUp);
      }
    } catch (ClosedSelectorException e) {
      // closed
    } catch (IOException | RuntimeException | Error e) {
      if (!stopped) {
        LOG.error("{} stopped unexpectedly", thread.getName(), e);
      }
    }
  }

  /**
   * Runs one step of the loop; a bug in it is logged and the loop goes on, since this one
   * thread serves every peer link of the node and its death would silence them all.
   */
  private void guarded(String what, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.error("{}: {} failed; the transport goes on", thread.getName(), what, e);
    }
  }

  private void deliverGuarded(Delivery d) {
    try {
      deliver.accept(d.from(), d.frames());
    } catch (RuntimeException e) {
      LOG.error("{}: delivering frames from {} failed; the transport goes on", thread.getName(), d.from(), e);
    }
  }

  private List<Delivery> readyKeysGuarded() {
    try {
      return readyKeys();
    } catch (RuntimeException e) {
      LOG.error("{}: handling ready connections failed; the transport goes on", thread.getName(), e);
      return List.of();
    }
  }

  /** Lets each ready connection act; returns what their answers carried back. */
  private List<Delivery> readyKeys() {
    List<Delivery> deliveries = List.of();
    try {
      for (SelectionKey key : selector.selectedKeys()) {
        PeerConnection connection = (PeerConnection) key.attachment();
        List<byte[]> frames = connection.onReady(key);
        if (frames != null && !frames.isEmpty()) {
          if (deliveries.isEmpty()) {
            deliveries = new ArrayList<>();
          }
          deliveries.add(new Delivery(connection.peer().address(), frames));
        }
      }
    } finally {
      selector.selectedKeys().clear();
    }
    return deliveries;
  }
}
