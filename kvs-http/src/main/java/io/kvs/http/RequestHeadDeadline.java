package io.kvs.http;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
 * shard transfer is a long body by design.
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
      HttpConnection http = httpConnection(endPoint.getConnection());
      if (http == null) {
        continue;
      }
      HttpParser parser = http.getParser();
      if (parser.isStart() || !parser.inHeaderState()) {
        continue; // between requests (the idle timeout's part) or past the head
      }
      Head head = heads.get(http);
      if (head == null || head.request() != http.getMessagesIn()) {
        head = new Head(http.getMessagesIn(), now);
      }
      if (now - head.sinceNanos() > deadlineNanos) {
        LOG.debug("{}: closing the connection from {}: its request head took longer than {} ms", node,
            endPoint.getRemoteSocketAddress(), TimeUnit.NANOSECONDS.toMillis(deadlineNanos));
        endPoint.close();
      } else {
        stillInHead.put(http, head);
      }
    }
    heads.clear();
    heads.putAll(stillInHead);
  }

  /** The HTTP/1.1 connection, under TLS's when there is TLS; null for anything else. */
  private static HttpConnection httpConnection(Connection connection) {
    if (connection instanceof SslConnection ssl) {
      connection = ssl.getSslEndPoint().getConnection();
    }
    return connection instanceof HttpConnection http ? http : null;
  }
}
