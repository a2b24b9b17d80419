package io.kvs.http;

import io.kvs.core.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends node-to-node frames as {@code POST http://<address>/internal/message} over a pooled
 * HTTP/1.1 client. Fire-and-forget: failures are logged at debug level and dropped, since
 * the core copes with lost messages.
 */
final class HttpTransport implements Transport, AutoCloseable {
  /** Path of the node-to-node endpoint. */
  static final String PATH = "/internal/message";
  /** Header naming the sending node's address. */
  static final String FROM_HEADER = "X-Kvs-From";
  /** Header carrying the optional cluster secret. */
  static final String SECRET_HEADER = "X-Kvs-Secret";

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  private final String self;
  private final String secret;
  private final Duration requestTimeout;
  private final ExecutorService executor;
  private final HttpClient client;

  /**
   * @param self this node's address, sent as {@value #FROM_HEADER}
   * @param secret the cluster secret, or null
   * @param requestTimeoutMs how long one delivery may take before it is given up
   */
  HttpTransport(String self, String secret, long requestTimeoutMs) {
    this.self = self;
    this.secret = secret;
    this.requestTimeout = Duration.ofMillis(Math.max(1, requestTimeoutMs));
    AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "kvs-transport-" + self + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.client = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1))
        .executor(executor)
        .build();
  }

  @Override
  public void send(String address, byte[] frame) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + address + PATH))
          .timeout(requestTimeout)
          .header("Content-Type", "application/octet-stream")
          .header(FROM_HEADER, self)
          .POST(HttpRequest.BodyPublishers.ofByteArray(frame));
      if (secret != null) {
        request.header(SECRET_HEADER, secret);
      }
      client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> log(address, response, error));
    } catch (RuntimeException e) {
      LOG.debug("cannot send to {}: {}", address, e.toString());
    }
  }

  private static void log(String address, HttpResponse<Void> response, Throwable error) {
    if (error != null) {
      LOG.debug("frame to {} lost: {}", address, error.toString());
    } else if (response.statusCode() != 204) {
      LOG.debug("frame to {} refused with status {}", address, response.statusCode());
    }
  }

  /** Stops the client's threads; frames still in flight are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
