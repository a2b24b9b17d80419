package io.kvs.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngineResult;
import org.eclipse.jetty.http.HttpParser;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ssl.SslConnection;
import org.eclipse.jetty.server.AbstractConnector;
import org.eclipse.jetty.server.internal.HttpConnection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection whose request head (request line and headers) has been arriving for
 * longer than the idle timeout. Jetty's idle timeout counts silence only: a client trickling
 * one header byte at a time, each just inside it, would hold its connection for as long as the
 * header size limit lets it (8 KiB at one byte per 30 s: almost three days), and a thousand
 * such clients would hold every connection the node allows. Bodies are not timed here: a
 * shard transfer is a long body by design. Under TLS, the handshake counts as part of the first
 * request's head.
 *
 * <p>A Jetty bean of the connector: it checks every quarter of the deadline, so a head is cut
 * at most a quarter late. It reads each connection's parser state from the scheduler's thread
 * without Jetty's locks; a stale read only delays a cut by one check, since a connection is cut
 * only when two reads, a deadline apart, found the same request still in its head.
 */
final class RequestHeadDeadline extends AbstractLifeCycle implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(RequestHeadDeadline.class);

  private final String node;
  private final AbstractConnector connector;
  private final long deadlineNanos;
  private final long periodMs;
  /** Connections in a request head, by connection: which request (messages in) and since when. */
  private final Map<Connection, Head> heads = new HashMap<>();
  private volatile Scheduler.Task next;

  /** The request number of a connection still in its TLS handshake. */
  private static final long HANDSHAKE = -1;

  private record Head(long request, long sinceNanos) {}

  RequestHeadDeadline(String node, AbstractConnector connector, long deadlineMs) {
    this.node = node;
    this.connector = connector;
    this.deadlineNanos = TimeUnit.MILLISECONDS.toNanos(deadlineMs);
    this.periodMs = Math.max(10, deadlineMs / 4);
  }

  @Override
  protected void doStart() {
    schedule();
  }

  @Override
  protected void doStop() {
    Scheduler.Task task = next;
    if (task != null) {
      task.cancel();
    }
  }

  private void schedule() {
    next = connector.getScheduler().schedule(this, periodMs, TimeUnit.MILLISECONDS);
  }

  /** On Jetty's scheduler thread: one check of every connection. */
  @Override
  public void run() {
    if (!isRunning()) {
      return;
    }
    try {
      check(System.nanoTime());
    } catch (RuntimeException e) {
      LOG.warn("{}: checking request heads failed", node, e);
    } finally {
      schedule();
    }
  }

  private void check(long now) {
    Map<Connection, Head> stillInHead = new HashMap<>();
    for (EndPoint endPoint : connector.getConnectedEndPoints()) {
      Connection inHead = connectionInHead(endPoint.getConnection());
      if (inHead == null) {
        continue;
      }
      long request = inHead instanceof HttpConnection http ? http.getMessagesIn() : HANDSHAKE;
      Head head = heads.get(inHead);
      if (head == null || head.request() != request) {
        head = new Head(request, now);
      }
      if (now - head.sinceNanos() > deadlineNanos) {
        LOG.debug("{}: closing the connection from {}: its {} took longer than {} ms", node,
            endPoint.getRemoteSocketAddress(), request == HANDSHAKE ? "TLS handshake" : "request head",
            TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
        endPoint.close();
      } else {
        stillInHead.put(inHead, head);
      }
    }
    heads.clear();
    heads.putAll(stillInHead);
  }

  /**
   * The connection when it is in a request head: the HTTP/1.1 connection (under TLS's when there
   * is TLS), or the TLS connection itself while its handshake, which has begun (bytes came in),
   * has not ended; null otherwise. Before a handshake ends the HTTP parser has not started, so
   * without the second case a client trickling its handshake would be bounded by nothing.
   */
  private static Connection connectionInHead(Connection connection) {
    if (connection instanceof SslConnection ssl) {
      if (ssl.getBytesIn() > 0
          && ssl.getSSLEngine().getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
        return ssl;
      }
      connection = ssl.getSslEndPoint().getConnection();
    }
    if (!(connection instanceof HttpConnection http)) {
      return null;
    }
    HttpParser parser = http.getParser();
    // At the start: between requests (the idle timeout's part); past the head: a body, not timed.
    return parser.isStart() || !parser.inHeaderState() ? null : http;
  }
}
