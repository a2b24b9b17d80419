package io.kvs.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's HTTPS client to its peers, shared by every {@link TlsPeerSender}: the JDK's
 * HttpClient (HTTP/1.1, keep-alive pool) with the node's {@link TlsMaterial#clientContext()}
 * and host name verification on, so a peer must present a certificate naming the address the
 * node dials. Chosen over a TLS engine inside {@link PeerConnection}: TLS's handshakes,
 * renegotiation and close alerts are the JDK's well-kept code, and the plaintext path stays
 * as it was. Its threads are this client's own and end with {@link #close}.
 */
final class TlsPeerClient {
  private static final Logger LOG = LoggerFactory.getLogger(TlsPeerClient.class);
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  private final String self;
  private final String secret;
  private final Duration requestTimeout;
  private final ExecutorService executor;
  private final HttpClient client;
  /** Peers whose last TLS failure was logged; a success lets the next failure log again. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  TlsPeerClient(String self, String secret, long requestTimeoutMs, SSLContext context) {
    this.self = self;
    this.secret = secret;
    this.requestTimeout = Duration.ofMillis(Math.max(1, requestTimeoutMs));
    AtomicInteger threads = new AtomicInteger();
    this.executor = Executors.newCachedThreadPool(task -> {
      Thread t = new Thread(task, "kvs-tls-" + self + "-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    SSLParameters parameters = context.getDefaultSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
        .sslParameters(parameters).connectTimeout(CONNECT_TIMEOUT).executor(executor).build();
  }

  HttpClient http() {
    return client;
  }

  /** Where answers are handled: this client's own threads. */
  java.util.concurrent.Executor executor() {
    return executor;
  }

  /** {@code POST https://<peer>/internal/message} carrying {@code body} (a {@link FrameBatch}). */
  HttpRequest request(String peer, ByteBuffer body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + peer + HttpTransport.PATH))
        .timeout(requestTimeout).header("Content-Type", "application/octet-stream")
        .header(HttpTransport.FROM_HEADER, self).header(HttpTransport.REPLIES_HEADER, "1")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body.array(), body.arrayOffset() + body.position(),
            body.remaining()));
    if (secret != null) {
      request.header(HttpTransport.SECRET_HEADER, secret);
    }
    return request.build();
  }

  /**
   * A TLS failure (a certificate not trusted or not naming the peer, say) is a configuration
   * problem worth one warning; repeated ones stay at debug until the peer is reached again.
   */
  void tlsFailed(String peer, Throwable cause) {
    if (warned.add(peer)) {
      LOG.warn("{}: TLS to {} failed: {}", self, peer, cause.toString());
    } else {
      LOG.debug("{}: TLS to {} failed again: {}", self, peer, cause.toString());
    }
  }

  void reached(String peer) {
    warned.remove(peer);
  }

  /** Ends the client's threads; the JDK 17 HttpClient has no close of its own. */
  void close() {
    executor.shutdownNow();
  }
}
