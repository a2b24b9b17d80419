package io.kvs.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Times every HTTP request the node answers, as {@code kvs_http_requests_seconds} by method,
 * route template and status. A Jetty handler around everything (the graceful-stop handler,
 * {@link KvsFastPath}, {@link InternalFastPath} and Javalin), because the fast paths answer
 * most requests before Javalin sees them, so Javalin's hooks would miss them.
 *
 * <p>Per request it costs one clock read at each end, one small callback object and an array
 * lookup: the timers are made once per (method, route, status) and kept in arrays, so no tag
 * list is built on the way.
 */
final class RequestMetrics extends Handler.Wrapper {
  /** The buckets of the latency histogram: from a fast-path read on loopback to a forward timeout. */
  static final Duration[] BUCKETS = {Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1),
      Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
      Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
      Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)};
  private static final String[] METHODS = {"GET", "PUT", "DELETE", "POST", "HEAD", "OTHER"};
  private static final int STATUSES = 600;

  private final MeterRegistry registry;
  /** Timers by [method * routes + route], then by status; filled as they are first needed. */
  private final AtomicReferenceArray<AtomicReferenceArray<Timer>> timers =
      new AtomicReferenceArray<>(METHODS.length * Routes.TEMPLATES.size());

  RequestMetrics(MeterRegistry registry, Handler next) {
    this.registry = registry;
    setHandler(next);
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long startNanos = System.nanoTime();
    int series = methodIndex(request.getMethod()) * Routes.TEMPLATES.size()
        + Routes.index(Request.getPathInContext(request));
    Timed timed = new Timed(callback, response, series, startNanos);
    boolean handled;
    try {
      handled = super.handle(request, response, timed);
    } catch (Exception | Error e) {
      // Jetty answers it with an error through its own callback, which this one never sees
      record(series, 500, System.nanoTime() - startNanos);
      throw e;
    }
    if (handled) {
      return true;
    }
    record(series, 404, System.nanoTime() - startNanos); // Jetty answers it: nothing handled it
    return false;
  }

  private void record(int series, int status, long nanos) {
    timer(series, status < 100 || status >= STATUSES ? 500 : status).record(nanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(int series, int status) {
    AtomicReferenceArray<Timer> byStatus = timers.get(series);
    if (byStatus == null) {
      timers.compareAndSet(series, null, new AtomicReferenceArray<>(STATUSES));
      byStatus = timers.get(series);
    }
    Timer t = byStatus.get(status);
    if (t == null) {
      // the registry returns the one timer of these tags however many threads race here
      t = Timer.builder("kvs.http.requests").description("HTTP requests answered, by method, route and status")
          .tag("method", METHODS[series / Routes.TEMPLATES.size()])
          .tag("route", Routes.TEMPLATES.get(series % Routes.TEMPLATES.size()))
          .tag("status", Integer.toString(status)).serviceLevelObjectives(BUCKETS).register(registry);
      byStatus.set(status, t);
    }
    return t;
  }

  private static int methodIndex(String method) {
    for (int i = 0; i < METHODS.length - 1; i++) {
      if (METHODS[i].equals(method)) {
        return i;
      }
    }
    return METHODS.length - 1;
  }

  /** The request's callback, recording the request when it completes, whichever way. */
  private final class Timed implements Callback {
    private final Callback next;
    private final Response response;
    private final int series;
    private final long startNanos;

    Timed(Callback next, Response response, int series, long startNanos) {
      this.next = next;
      this.response = response;
      this.series = series;
      this.startNanos = startNanos;
    }

    @Override
    public void succeeded() {
      record(series, response.getStatus(), System.nanoTime() - startNanos);
      next.succeeded();
    }

    @Override
    public void failed(Throwable failure) {
      // a failed callback ends in an error answer or a broken connection; not a success in any case
      int status = response.getStatus();
      record(series, status >= 400 ? status : 500, System.nanoTime() - startNanos);
      next.failed(failure);
    }

    @Override
    public InvocationType getInvocationType() {
      return next.getInvocationType();
    }
  }
}
