package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The status report's requests per second, p99 and 503 count, on a clock the test moves. */
class RequestFiguresTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private long nowNanos;
  private final RequestFigures figures = new RequestFigures(registry, () -> nowNanos);

  private Timer timer(String route, String status) {
    return Timer.builder("kvs.http.requests").tag("method", "GET").tag("route", route).tag("status", status)
        .serviceLevelObjectives(RequestMetrics.BUCKETS).register(registry);
  }

  @Test
  void ratesAndP99CoverTheWindowSinceThePreviousReport() {
    for (int i = 0; i < 200; i++) {
      timer("/kvs/{key}", "200").record(Duration.ofMillis(3));
    }
    timer("/kvs/{key}", "503").record(Duration.ofMillis(20));
    timer("/kvs/{key}", "503").record(Duration.ofMillis(20));
    timer("/internal/message", "204").record(Duration.ofSeconds(3)); // not a client request
    nowNanos += Duration.ofSeconds(2).toNanos();
    RequestFigures.Figures first = figures.now();
    assertThat(first.requestsPerSecond()).isEqualTo(101.0);
    assertThat(first.p99Ms()).as("202 requests: the 200th is in the 5 ms bucket").isEqualTo(5.0);
    assertThat(first.unavailable()).isEqualTo(2);

    for (int i = 0; i < 10; i++) {
      timer("/kvs/{key}", "200").record(Duration.ofMillis(200));
    }
    nowNanos += Duration.ofMillis(500).toNanos();
    assertThat(figures.now()).as("a window under a second keeps the figures").isEqualTo(first);
    nowNanos += Duration.ofMillis(500).toNanos();
    RequestFigures.Figures second = figures.now();
    assertThat(second.requestsPerSecond()).isEqualTo(10.0);
    assertThat(second.p99Ms()).as("only the window's requests count").isEqualTo(250.0);
  }

  @Test
  void aWindowWithoutRequestsHasNoP99AndOneBeyondTheLastBucketIsMinusOne() {
    nowNanos += Duration.ofSeconds(1).toNanos();
    assertThat(figures.now()).isEqualTo(new RequestFigures.Figures(0, 0, 0));
    timer("/kvs/{key}", "200").record(Duration.ofSeconds(30));
    nowNanos += Duration.ofSeconds(1).toNanos();
    assertThat(figures.now().p99Ms()).isEqualTo(-1);
  }
}
