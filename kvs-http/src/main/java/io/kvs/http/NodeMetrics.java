package io.kvs.http;

import io.kvs.core.KvsError;
import io.kvs.core.NodeStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * One node's metrics registry, scraped by {@code GET /metrics}. One per node, never Micrometer's
 * global registry: several nodes may run in one JVM, and each must show its own numbers.
 *
 * <p>The core's counts are read once per scrape as one {@link NodeStats} snapshot (one hop to the
 * node's thread, see {@link #update}); every function counter and gauge of the core then reads
 * that snapshot, so a scrape never asks the node once per metric.
 */
final class NodeMetrics implements AutoCloseable {
  /** Buckets of the fsync latency histogram. */
  private static final Duration[] FSYNC_BUCKETS = {Duration.ofNanos(100_000), Duration.ofNanos(250_000),
      Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
      Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
      Duration.ofMillis(250), Duration.ofSeconds(1)};
  private static final NodeStats NONE_YET = new NodeStats(new NodeStats.Sizes(-1, 0, 0, 0, 0, 0), Map.of(), 0, 0,
      new NodeStats.Replication(0, 0, 0, 0), new NodeStats.Repair(0, 0, 0, 0), 0, 0);

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();
  private final HttpTransport transport;
  private final Set<String> peersShown = ConcurrentHashMap.newKeySet();
  private volatile NodeStats stats = NONE_YET;

  /** @param transport whose links' queues are shown per peer */
  NodeMetrics(HttpTransport transport) {
    this.transport = transport;
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    registerCore();
  }

  /** The registry, for the meters other parts record into (HTTP requests). */
  PrometheusMeterRegistry registry() {
    return registry;
  }

  /** The histogram of the data directory's fsyncs, made on first use (a node without one has none). */
  Timer fsyncTimer() {
    return Timer.builder("kvs.disk.fsync").description("Time of one sync of the write-ahead log's files")
        .serviceLevelObjectives(FSYNC_BUCKETS).register(registry);
  }

  /** Takes the node's newest counts (read on its thread) and renders every metric as Prometheus text. */
  String scrape(NodeStats latest) {
    update(latest);
    return registry.scrape();
  }

  /** The snapshot the core's meters show until the next. */
  void update(NodeStats latest) {
    stats = latest;
    for (PeerLink link : transport.links()) {
      if (peersShown.add(link.address())) {
        registerPeer(link);
      }
    }
  }

  private void registerCore() {
    for (KvsError e : KvsError.values()) {
      // the node's own errors (the client-side ones come after VALUE_NOT_SERIALISABLE) that map to 503
      if (e.category() == KvsError.Category.UNAVAILABLE && e.ordinal() < KvsError.VALUE_NOT_SERIALISABLE.ordinal()) {
        FunctionCounter.builder("kvs.requests.unavailable", this, m -> m.stats.failures(e))
            .description("Client requests this node answered with 503, by cause")
            .tag("cause", e.name().toLowerCase(Locale.ROOT)).register(registry);
      }
    }
    counter("kvs.key.requests", "Key requests (GET, PUT, DELETE of /kvs/{key}) the node handled", s -> s.keyRequests());
    counter("kvs.key.request.causal.entries", "Vector clock entries in those requests' causal metadata, summed",
        s -> s.requestContextEntries());
    counter("kvs.replication.copies", "Copies of writes coordinated here sent to shard peers", s -> s.replication().copies());
    counter("kvs.replication.acks", "Copies a shard peer acknowledged (replication round trips)",
        s -> s.replication().acks());
    counter("kvs.replication.retries", "Copies sent again to a peer that had not acknowledged",
        s -> s.replication().retries());
    counter("kvs.replication.timeouts", "Writes that reached the replication timeout with a peer missing",
        s -> s.replication().timeouts());
    counter("kvs.anti.entropy.rounds", "Anti-entropy digest exchanges started with a peer", s -> s.repair().rounds());
    counter("kvs.anti.entropy.pulls", "Pulls of missing writes sent to peers", s -> s.repair().pulls());
    FunctionCounter.builder("kvs.anti.entropy.repaired.keys", this, m -> m.stats.repair().syncRepairedKeys())
        .description("Versions anti-entropy stored here, by exchange").tag("exchange", "sync").register(registry);
    FunctionCounter.builder("kvs.anti.entropy.repaired.keys", this, m -> m.stats.repair().pullRepairedKeys())
        .description("Versions anti-entropy stored here, by exchange").tag("exchange", "pull").register(registry);
    counter("kvs.membership.suspicions", "Times a peer became suspected", s -> s.suspicions());
    counter("kvs.membership.removals", "Peers this node's failure detection marked down", s -> s.removals());
    gauge("kvs.shard.id", "The shard this node's replica holds, -1 for none", null, s -> s.sizes().shard());
    gauge("kvs.shard.keys", "Live keys this node stores for its shard", null, s -> s.sizes().liveKeys());
    gauge("kvs.shard.tombstones", "Deleted keys whose tombstone this node still keeps", null,
        s -> s.sizes().tombstones());
    gauge("kvs.causal.dependency.entries", "Vector clock entries of this replica's dependency summary", null,
        s -> s.sizes().dependencyEntries());
    gauge("kvs.wal.log", "Bytes of the write-ahead log since the last snapshot", "bytes", s -> s.sizes().logBytes());
    gauge("kvs.wal.snapshot", "Bytes of the last snapshot", "bytes", s -> s.sizes().snapshotBytes());
  }

  private void counter(String name, String help, ToDoubleFunction<NodeStats> read) {
    FunctionCounter.builder(name, this, m -> read.applyAsDouble(m.stats)).description(help).register(registry);
  }

  private void gauge(String name, String help, String unit, ToDoubleFunction<NodeStats> read) {
    Gauge.builder(name, this, m -> read.applyAsDouble(m.stats)).description(help).baseUnit(unit).register(registry);
  }

  /** A peer's gauges appear at the first scrape after the first frame to it. */
  private void registerPeer(PeerLink link) {
    Gauge.builder("kvs.peer.queued.frames", link, PeerLink::framesWaiting)
        .description("Frames waiting to be sent to a peer").tag("peer", link.address()).strongReference(true)
        .register(registry);
    Gauge.builder("kvs.peer.inflight.frames", link, PeerLink::framesInFlight)
        .description("Frames in requests to a peer not yet answered").tag("peer", link.address()).strongReference(true)
        .register(registry);
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
