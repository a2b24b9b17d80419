package io.kvs.http;

import io.kvs.core.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends node-to-node frames as {@code POST http://<address>/internal/message} over a pooled
 * HTTP/1.1 client. Per peer, at most {@value #IN_FLIGHT_PER_PEER} requests are in flight:
 * a frame sent while the link is idle leaves at once, and frames sent meanwhile wait in a
 * bounded queue and leave together in the next request ({@link FrameBatch}). A connection per
 * frame would collapse under bursts (connect timeouts, lost frames). Fire-and-forget: failures
 * are logged at debug level and dropped, since the core copes with lost messages.
 */
final class HttpTransport implements Transport, AutoCloseable {
  /** Path of the node-to-node endpoint. */
  static final String PATH = "/internal/message";
  /** Header naming the sending node's address. */
  static final String FROM_HEADER = "X-Kvs-From";
  /** Header carrying the optional cluster secret. */
  static final String SECRET_HEADER = "X-Kvs-Secret";

  static final int IN_FLIGHT_PER_PEER = 2;
  /** Frames waiting for one peer beyond this are dropped (the core re-sends what matters). */
  static final int QUEUE_LIMIT_PER_PEER = 100_000;
  private static final int BATCH_BYTES = 1 << 20;

  private static final Logger LOG = LoggerFactory.getLogger(HttpTransport.class);

  private final String self;
  private final String secret;
  private final Duration requestTimeout;
  private final ExecutorService executor;
  private final HttpClient client;
  private final ConcurrentHashMap<String, Peer> peers = new ConcurrentHashMap<>();

  /** One peer's link: the frames waiting and how many requests are under way. */
  private final class Peer {
    final String address;
    final URI uri;
    final ArrayDeque<byte[]> waiting = new ArrayDeque<>();
    int inFlight;

    Peer(String address) {
      this.address = address;
      this.uri = URI.create("http://" + address + PATH);
    }

    synchronized void offer(byte[] frame) {
      if (waiting.size() >= QUEUE_LIMIT_PER_PEER) {
        LOG.debug("{} drops a frame to {}: {} frames already wait", self, address, waiting.size());
        return;
      }
      waiting.add(frame);
      pump();
    }

    synchronized void done() {
      inFlight--;
      pump();
    }

    /** A request that could not even start: counted out without pumping again from here. */
    synchronized void failedToStart() {
      inFlight--;
    }

    private void pump() {
      while (inFlight < IN_FLIGHT_PER_PEER && !waiting.isEmpty()) {
        List<byte[]> batch = new ArrayList<>();
        int bytes = 0;
        while (!waiting.isEmpty() && (batch.isEmpty() || bytes + waiting.peek().length <= BATCH_BYTES)) {
          byte[] f = waiting.poll();
          batch.add(f);
          bytes += f.length;
        }
        inFlight++;
        post(this, FrameBatch.encode(batch));
      }
    }
  }

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
      peers.computeIfAbsent(address, Peer::new).offer(frame);
    } catch (RuntimeException e) {
      LOG.debug("cannot send to {}: {}", address, e.toString());
    }
  }

  private void post(Peer peer, byte[] body) {
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(peer.uri)
          .timeout(requestTimeout)
          .header("Content-Type", "application/octet-stream")
          .header(FROM_HEADER, self)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body));
      if (secret != null) {
        request.header(SECRET_HEADER, secret);
      }
      client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding())
          .whenComplete((response, error) -> {
            log(peer.address, response, error);
            peer.done();
          });
    } catch (RuntimeException e) {
      LOG.debug("cannot send to {}: {}", peer.address, e.toString());
      peer.failedToStart();
    }
  }

  private static void log(String address, HttpResponse<Void> response, Throwable error) {
    if (error != null) {
      LOG.debug("frames to {} lost: {}", address, error.toString());
    } else if (response.statusCode() != 204) {
      LOG.debug("frames to {} refused with status {}", address, response.statusCode());
    }
  }

  /** Stops the client's threads; frames still in flight are dropped. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
