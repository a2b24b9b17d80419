package io.kvs.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.kvs.api.KvsException;
import io.kvs.api.Session;
import io.kvs.api.spi.JsonValues;
import io.kvs.api.spi.SessionTokens;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Node;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running node: its {@link NodeThread} (thread, clock, scheduler), the {@link HttpTransport}
 * to its peers, and the Javalin server with the contract's routes and the internal endpoint.
 */
final class NodeRuntime implements KvsServer {
  private static final Logger LOG = LoggerFactory.getLogger(NodeRuntime.class);

  private static final long READY_POLL_MS = 20;

  private final String address;
  private final String listenAddress;
  private final NodeThread thread;
  private final HttpTransport transport;
  private final Javalin app;
  /** How long a closing node gives its goodbye to reach its peers. */
  private static final long GOODBYE_TIMEOUT_MS = 300;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final FileDisk disk;
  private final RequestDrain drain;
  private final KvsFastPath kvFastPath;
  private final JsonValues values;
  /** The node's metrics, or null for an in-process node (nothing can scrape it). */
  private final NodeMetrics metrics;

  private NodeRuntime(String address, String listenAddress, NodeThread thread, HttpTransport transport,
                      Javalin app, FileDisk disk, RequestDrain drain, KvsFastPath kvFastPath, JsonValues values,
                      NodeMetrics metrics) {
    this.metrics = metrics;
    this.kvFastPath = kvFastPath;
    this.values = values;
    this.drain = drain;
    this.disk = disk;
    this.address = address;
    this.listenAddress = listenAddress;
    this.thread = thread;
    this.transport = transport;
    this.app = app;
  }

  /**
   * Builds the node (on its thread), starts the HTTP server on {@code listener} (none when null:
   * an in-process node), then starts the node. {@code b} holds the resolved address and view.
   */
  static NodeRuntime start(KvsServerBuilder b, HttpListener listener) {
    NodeThread thread = new NodeThread(b.address);
    // one client context for the peers and the status fan-out: each costs a trust manager and a SecureRandom
    javax.net.ssl.SSLContext tlsClient = b.tls == null ? null : b.tls.clientContext();
    HttpTransport transport = new HttpTransport(b.address, b.clusterSecret, b.settings.forwardTimeoutMs(), tlsClient);
    if (b.hostResolver != null) {
      transport.resolveWith(b.hostResolver);
    }
    thread.afterEachRound(transport::flush);
    transport.flushAfterEachRound();
    FileDisk disk = null;
    NodeMetrics metrics = listener == null ? null : new NodeMetrics(transport);
    try {
      disk = b.dataDir == null ? null : new FileDisk(b.dataDir, b.address, thread::post);
      if (disk != null && metrics != null) {
        io.micrometer.core.instrument.Timer fsync = metrics.fsyncTimer();
        disk.timeSyncsWith(nanos -> fsync.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS));
      }
      FileDisk chosen = disk;
      long seed = new SecureRandom().nextLong();
      Node node = thread.build(() -> Node.builder().address(b.address).view(b.view).shardCount(b.shardCount)
          .settings(b.settings).durability(b.durability).disk(chosen).clock(thread).scheduler(thread)
          .transport(transport).random(new SplittableRandom(seed)).build());
      transport.receiveRepliesWith(thread::receive);
      RequestDrain drain = new RequestDrain(b.address, b.settings);
      KvsFastPath kvFastPath = b.kvFastPath && listener != null ? new KvsFastPath(thread, b.maxBodyBytes) : null;
      Javalin app = listener == null ? null
          : Javalin.create(config -> configure(config, b, thread, transport, drain, listener, kvFastPath, metrics, tlsClient));
      if (app != null) {
        listen(app, listener.listenAddress());
      }
      thread.post(node::start);
      String listening = listener == null ? null : listener.listenAddress();
      LOG.info("kvs node {} {}", b.address, listening == null ? "runs in-process only"
          : "listening on " + (b.tls == null ? "http://" : "https://") + listening);
      return new NodeRuntime(b.address, listening, thread, transport, app, disk, drain, kvFastPath,
          new JsonValues(b.objectMapper), metrics);
    } catch (RuntimeException e) {
      thread.stop();
      if (metrics != null) {
        metrics.close();
      }
      transport.close();
      if (disk != null) {
        disk.close();
      }
      throw e;
    }
  }

  /** Off with -Dkvs.internal.fastPath=false, to measure what it saves. */
  static final boolean FAST_PATH = !"false".equals(System.getProperty("kvs.internal.fastPath"));

  private static void configure(JavalinConfig config, KvsServerBuilder b, NodeThread thread,
                                HttpTransport transport, RequestDrain drain, HttpListener listener,
                                KvsFastPath kvFastPath, NodeMetrics metrics, javax.net.ssl.SSLContext tlsClient) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.prefer405over404 = true;
    config.http.maxRequestSize = Math.max(b.maxBodyBytes, b.maxFrameBytes);
    config.jetty.addConnector((server, http) -> listener.connector(server, http, b.address, b.tls, b.idleTimeoutMs,
        b.maxConnections));
    config.jetty.modifyServer(server -> {
      server.setErrorHandler(new JsonErrors.JettyHandler());
      // outermost, so that every request is timed, the fast paths' and refused ones included;
      // Javalin nests its context inside the drain's handler
      server.setHandler(new RequestMetrics(metrics.registry(), drain.handler()));
    });
    config.jetty.modifyServletContextHandler(handler -> {
      handler.setErrorHandler(new JsonErrors.JettyHandler());
      if (FAST_PATH) {
        handler.insertHandler(new InternalFastPath(thread, transport, b.clusterSecret, b.maxFrameBytes));
      }
      if (kvFastPath != null) {
        handler.insertHandler(kvFastPath);
      }
    });
    JsonErrors.register(config.routes);
    new InternalRoutes(thread, transport, b.clusterSecret, b.maxFrameBytes).register(config.routes);
    new KvsRoutes(thread, b.maxBodyBytes).register(config.routes);
    new Health(thread, b.address).register(config.routes);
    new StatusRoutes(thread, tlsClient, metrics).register(config.routes);
    new MetricsEndpoint(thread, metrics).register(config.routes);
  }

  private static void listen(Javalin app, String listenAddress) {
    try {
      app.start();
    } catch (RuntimeException e) {
      app.stop();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IllegalStateException("cannot listen on " + listenAddress + ": " + cause.getMessage(), e);
    }
  }

  /**
   * Runs {@code task} as the node's work (on the caller's thread if the node is idle, as
   * {@link NodeThread} does); tests stall a node with it.
   */
  void postOnNodeThread(Runnable task) {
    thread.post(task);
  }

  /** Key requests served by {@link KvsFastPath} (0 without it); for tests. */
  long kvFastPathServed() {
    return kvFastPath == null ? 0 : kvFastPath.served();
  }

  @Override
  public String address() {
    return address;
  }

  @Override
  public String listenAddress() {
    if (listenAddress == null) {
      throw new IllegalStateException("this node runs without an HTTP listener");
    }
    return listenAddress;
  }

  @Override
  public List<String> view() {
    return ask(Node::view);
  }

  @Override
  public boolean awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ask(n -> n.caughtUp() || n.shardId().isEmpty())) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      sleep(READY_POLL_MS);
    }
    return true;
  }

  /** Reads from the node on its thread and waits for the answer. */
  private <T> T ask(Function<Node, T> read) {
    try {
      return thread.query(read).join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof NodeStoppedException
          ? new IllegalStateException("the server is closed") : e;
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the node", e);
    }
  }

  @Override
  public Session openSession() {
    return openSession(CausalContext.none());
  }

  @Override
  public Session openSession(String token) {
    return openSession(SessionTokens.decode(token));
  }

  private Session openSession(CausalContext context) {
    if (closed.get()) {
      throw new KvsException(KvsError.NODE_STOPPED);
    }
    return new EmbeddedSession(thread, values, context);
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    // HTTP first, while the node still runs, so that requests in flight get their answers;
    // only then the node, which fails whatever still waits in it
    if (app != null) {
      drain.drain();
      app.stop();
    }
    thread.stop(); // the node's last act: a goodbye to its peers
    transport.closeAfterSending(GOODBYE_TIMEOUT_MS);
    if (disk != null) {
      disk.close();
    }
    if (metrics != null) {
      metrics.close();
    }
    LOG.info("kvs node {} stopped", address);
  }
}
