package io.kvs.http;

import io.kvs.core.NodeSettings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The graceful half of a node's stop: Jetty's {@link GracefulHandler}, which Javalin nests its
 * context in, counts the requests in flight; {@link #drain} makes it refuse new ones (503) and
 * waits for those to be answered. Done here rather than by Jetty's stop timeout, which also
 * waits for idle keep-alive connections (every peer holds one) to time out, adding about a
 * second to every stop.
 */
final class RequestDrain {
  private static final Logger LOG = LoggerFactory.getLogger(RequestDrain.class);
  private static final long MARGIN_MS = 1000;

  private final GracefulHandler handler = new GracefulHandler();
  private final String address;
  private final long timeoutMs;

  RequestDrain(String address, NodeSettings settings) {
    this.address = address;
    this.timeoutMs = timeoutMs(settings);
  }

  /** The longest a request waits in the node (a forward, or a read of a write still replicating), plus a margin. */
  static long timeoutMs(NodeSettings settings) {
    return Math.max(settings.forwardTimeoutMs(), 2 * settings.replicationTimeoutMs()) + MARGIN_MS;
  }

  /** The handler to install as the Jetty server's. */
  GracefulHandler handler() {
    return handler;
  }

  /** Refuses new requests and waits for those in flight, at most the timeout. */
  void drain() {
    LOG.info("kvs node {} stops: answering its {} requests in flight", address, handler.getCurrentRequestCount());
    try {
      handler.shutdown().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("kvs node {} stops with {} requests unanswered after {} ms", address,
          handler.getCurrentRequestCount(), timeoutMs);
    } catch (ExecutionException e) {
      LOG.warn("kvs node {} could not drain its requests: {}", address, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
