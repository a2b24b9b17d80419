package io.kvs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;

/**
 * The {@code nio} driver: one thread and one selector for many sessions' connections, as wrk
 * does, so that the client needs few threads on a machine it shares with the servers.
 */
final class NioDriver implements Runnable {
  /** How long, once the run stops, the requests in flight may take to be answered. */
  private static final long STOP_GRACE_NANOS = 2_000_000_000L;
  /** A select returns this often even when no bytes arrive, so that failed connections are retried. */
  private static final long SELECT_TIMEOUT_MS = 50;

  private final List<NioConnection> connections;
  private final RunControl control;
  private volatile Selector selector;

  NioDriver(List<NioConnection> connections, RunControl control) {
    this.connections = connections;
    this.control = control;
  }

  /** Interrupts the current select, so that a change of side or a stop is seen at once. */
  void wakeup() {
    Selector current = selector;
    if (current != null) {
      current.wakeup();
    }
  }

  /** Drives the connections until the run stops and their requests in flight are answered. */
  @Override
  public void run() {
    try (Selector opened = Selector.open()) {
      selector = opened;
      connections.forEach(c -> c.useSelector(opened));
      loop(opened);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      connections.forEach(NioConnection::close);
    }
  }

  private void loop(Selector selector) throws IOException {
    long stopDeadlineNanos = 0;
    while (true) {
      if (control.stopping()) {
        if (stopDeadlineNanos == 0) {
          stopDeadlineNanos = System.nanoTime() + STOP_GRACE_NANOS;
        }
        if (connections.stream().noneMatch(NioConnection::busy) || System.nanoTime() > stopDeadlineNanos) {
          return;
        }
      } else {
        connections.forEach(NioConnection::kick);
      }
      selector.select(SELECT_TIMEOUT_MS);
      handleReady(selector);
    }
  }

  private static void handleReady(Selector selector) {
    for (SelectionKey key : selector.selectedKeys()) {
      NioConnection connection = (NioConnection) key.attachment();
      try {
        if (key.isValid() && key.isWritable()) {
          connection.flush();
        }
        if (key.isValid() && key.isReadable()) {
          connection.read();
        }
      } catch (IOException | RuntimeException e) {
        connection.failed();
      }
    }
    selector.selectedKeys().clear();
  }
}
