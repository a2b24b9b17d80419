package io.kvs.client;

import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.api.spi.JsonValues;
import io.kvs.api.spi.SessionTokens;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link KvsClient}: one pooled keep-alive {@link HttpClient}, the current {@link Layout},
 * the {@link Router}, a timer thread (retry waits, periodic refresh) and a worker pool (HTTP
 * callbacks, layout fetches, which block).
 */
final class RemoteClient implements KvsClient {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteClient.class);
  /** Refreshes asked for by answers come at most this often. */
  private static final long MIN_REFRESH_GAP_MS = 200;
  private static final AtomicInteger CLIENTS = new AtomicInteger();

  private final KvsClientBuilder config;
  private final List<String> seeds;
  private final ExecutorService workers;
  private final ScheduledExecutorService timer;
  private final HttpClient http;
  private final LayoutFetcher fetcher;
  private final Router router;
  private final Wire wire = new Wire();
  private final JsonValues values;
  private final AtomicReference<Layout> layout;
  private final AtomicBoolean refreshQueued = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();

  private RemoteClient(KvsClientBuilder b) {
    int id = CLIENTS.incrementAndGet();
    this.config = b;
    this.seeds = b.seeds;
    this.workers = Executors.newCachedThreadPool(daemon("kvs-client-" + id + "-worker"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("kvs-client-" + id + "-timer"));
    HttpClient.Builder http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(b.connectTimeout).executor(workers);
    if (b.sslContext != null) {
      http.sslContext(b.sslContext);
    }
    this.http = http.build();
    this.fetcher = new LayoutFetcher(this.http, b.requestTimeout, b.scheme());
    this.router = new Router(seeds, () -> System.nanoTime() / 1_000_000, new Random());
    this.values = new JsonValues(b.objectMapper);
    this.layout = new AtomicReference<>(Layout.ofSeeds(seeds));
  }

  static RemoteClient start(KvsClientBuilder b) {
    RemoteClient client = new RemoteClient(b);
    client.refresh();
    long everyMs = b.refreshInterval.toMillis();
    if (everyMs > 0) {
      client.timer.scheduleWithFixedDelay(() -> client.workers.execute(client::refresh), everyMs, everyMs,
          TimeUnit.MILLISECONDS);
    }
    return client;
  }

  @Override
  public Session openSession() {
    return open(CausalContext.none());
  }

  @Override
  public Session openSession(String token) {
    return open(SessionTokens.decode(token));
  }

  private Session open(CausalContext context) {
    if (closed.get()) {
      throw new KvsException(KvsError.CLIENT_CLOSED);
    }
    return new RemoteSession(this, values, context);
  }

  /** Runs {@code request} with retries within the total deadline. */
  CompletableFuture<Answer> call(Wire.Request request) {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new KvsException(KvsError.CLIENT_CLOSED));
    }
    return new Call(this, request, System.nanoTime() + config.totalDeadline.toNanos()).start();
  }

  /** One attempt of {@code request} at {@code node}, within the request timeout and what remains. */
  CompletableFuture<HttpResponse<byte[]>> send(String node, Wire.Request request, long remainingNanos) {
    Duration timeout = Duration.ofNanos(Math.min(config.requestTimeout.toNanos(), remainingNanos));
    return http.sendAsync(Wire.http(config.scheme() + node, request, timeout), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** Runs {@code task} on a worker after {@code delayMs}. */
  void later(Runnable task, long delayMs) {
    timer.schedule(() -> workers.execute(task), delayMs, TimeUnit.MILLISECONDS);
  }

  /** Fetches the layout soon, at most one fetch queued at a time. */
  void refreshSoon() {
    if (!closed.get() && refreshQueued.compareAndSet(false, true)) {
      later(() -> {
        refreshQueued.set(false);
        refresh();
      }, MIN_REFRESH_GAP_MS);
    }
  }

  /** Asks the known nodes, seeds last, until one reports a layout. */
  private synchronized void refresh() {
    Layout current = layout.get();
    Set<String> nodes = new LinkedHashSet<>(current.nodes());
    nodes.addAll(seeds);
    for (String node : nodes) {
      if (closed.get()) {
        return;
      }
      Optional<Layout> fetched = fetcher.fetch(node);
      if (fetched.isPresent()) {
        if (!fetched.get().sameAs(current)) {
          LOG.info("kvs client: layout from {}: {}", node, fetched.get());
        }
        layout.set(fetched.get());
        return;
      }
    }
    LOG.warn("kvs client: no node of {} reported the layout", nodes);
  }

  boolean isClosed() {
    return closed.get();
  }

  Layout layout() {
    return layout.get();
  }

  Router router() {
    return router;
  }

  Wire wire() {
    return wire;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      timer.shutdownNow();
      // workers end by themselves once idle: requests in flight still complete on them
      workers.shutdown();
    }
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
