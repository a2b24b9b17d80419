package io.kvs.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;

/**
 * The client-request figures of a node's status report, read from its request timers
 * ({@link RequestMetrics}): requests per second and p99 latency over the time since the
 * previous report (at least {@value #MIN_WINDOW_MS} ms, else the previous figures stand), and
 * 503 answers since the start. Probes, status, metrics and node-to-node requests do not count.
 */
final class RequestFigures {
  static final long MIN_WINDOW_MS = 1_000;

  /** Figures to report. */
  record Figures(double requestsPerSecond, double p99Ms, long unavailable) {}

  private final MeterRegistry registry;
  private final java.util.function.LongSupplier nanoClock;
  private long lastAtNanos;
  private long lastCount;
  private double[] lastBuckets = new double[RequestMetrics.BUCKETS.length];
  private Figures last = new Figures(0, 0, 0);

  RequestFigures(MeterRegistry registry) {
    this(registry, System::nanoTime);
  }

  /** With a clock of its own, for tests. */
  RequestFigures(MeterRegistry registry, java.util.function.LongSupplier nanoClock) {
    this.registry = registry;
    this.nanoClock = nanoClock;
    this.lastAtNanos = nanoClock.getAsLong();
  }

  /** The figures now; the window restarts when it is long enough. */
  synchronized Figures now() {
    long count = 0;
    long unavailable = 0;
    double[] buckets = new double[RequestMetrics.BUCKETS.length];
    for (Timer t : registry.find("kvs.http.requests").timers()) {
      if (!Routes.isClient(t.getId().getTag("route"))) {
        continue;
      }
      count += t.count();
      if ("503".equals(t.getId().getTag("status"))) {
        unavailable += t.count();
      }
      CountAtBucket[] counts = t.takeSnapshot().histogramCounts();
      for (int i = 0; i < counts.length && i < buckets.length; i++) {
        buckets[i] += counts[i].count();
      }
    }
    long nowNanos = nanoClock.getAsLong();
    long windowMs = (nowNanos - lastAtNanos) / 1_000_000;
    if (windowMs < MIN_WINDOW_MS) {
      return new Figures(last.requestsPerSecond(), last.p99Ms(), unavailable);
    }
    long inWindow = count - lastCount;
    last = new Figures(inWindow * 1000.0 / windowMs, p99Ms(buckets, inWindow), unavailable);
    lastAtNanos = nowNanos;
    lastCount = count;
    lastBuckets = buckets;
    return last;
  }

  /** The upper bound of the bucket holding the window's 99th percentile; 0 for no requests, -1 beyond the last bucket. */
  private double p99Ms(double[] buckets, long inWindow) {
    if (inWindow == 0) {
      return 0;
    }
    double rank = Math.ceil(inWindow * 0.99);
    for (int i = 0; i < buckets.length; i++) {
      if (buckets[i] - lastBuckets[i] >= rank) {
        return RequestMetrics.BUCKETS[i].toNanos() / 1e6;
      }
    }
    return -1; // slower than the largest bucket
  }
}
