package io.kvs.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.api.spi.JsonValues;
import io.kvs.core.Addresses;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures a {@link KvsClient}. Only {@link #seeds} is required.
 *
 * <h2>Retries</h2>
 * Each operation has {@link #totalDeadline}; within it the client tries the key's shard
 * members one after another (a connection refused or timed out moves to the next at once),
 * and waits with exponential backoff and jitter (25 ms doubling up to 1 s, each wait between
 * half and all of that) once every candidate failed or a node answered 503.
 * <ul>
 *   <li>Reads are retried after any connection failure, timeout, 503 or 5xx.</li>
 *   <li>Writes (PUT and DELETE) are retried only where the first attempt cannot have been
 *       applied: the connection was never established (refused, connect timeout), or the node
 *       answered 503 "Causal dependencies not satisfied", which the contract answers before
 *       applying anything. A write whose connection broke or timed out after it was sent, or
 *       that got any other 503 (for example "Too few replicas stored the write", which may
 *       still take effect) fails at once with a retryable {@link io.kvs.api.KvsException}: the
 *       caller decides whether writing again is right.</li>
 * </ul>
 * When the deadline passes, the operation fails with the last error seen ({@link
 * io.kvs.core.KvsError#UNREACHABLE} when no node could be connected to).
 */
public final class KvsClientBuilder implements Cloneable {
  List<String> seeds = List.of();
  Duration connectTimeout = Duration.ofSeconds(1);
  Duration requestTimeout = Duration.ofSeconds(5);
  Duration totalDeadline = Duration.ofSeconds(20);
  Duration refreshInterval = Duration.ofSeconds(5);
  ObjectMapper objectMapper = JsonValues.defaultMapper();
  javax.net.ssl.SSLContext sslContext;
  /** Set by {@link #build}: whether the client speaks HTTPS. */
  boolean https;

  KvsClientBuilder() {}

  /**
   * Addresses ({@code IP:PORT}) of some nodes; the client learns the others from them. A seed
   * may carry its scheme, {@code https://IP:PORT} for a cluster with TLS (all seeds alike).
   */
  public KvsClientBuilder seeds(String... seeds) {
    return seeds(List.of(seeds));
  }

  /** As {@link #seeds(String...)}. */
  public KvsClientBuilder seeds(List<String> seeds) {
    this.seeds = List.copyOf(seeds);
    return this;
  }

  /** Longest wait for a TCP connection to a node; default 1 s. */
  public KvsClientBuilder connectTimeout(Duration connectTimeout) {
    this.connectTimeout = positive(connectTimeout, "connect timeout");
    return this;
  }

  /**
   * Longest wait for one node's answer; default 5 s, above what a node itself waits for its
   * shard (forwarding 3 s, replication 1 s by default), so that slow is not mistaken for dead.
   */
  public KvsClientBuilder requestTimeout(Duration requestTimeout) {
    this.requestTimeout = positive(requestTimeout, "request timeout");
    return this;
  }

  /** Longest time one operation takes, all retries included; default 20 s. */
  public KvsClientBuilder totalDeadline(Duration totalDeadline) {
    this.totalDeadline = positive(totalDeadline, "total deadline");
    return this;
  }

  /**
   * How often the view and shard layout are fetched again; default 5 s. {@link Duration#ZERO}
   * turns the periodic refresh off; refreshes after an answer that shows a change stay on.
   */
  public KvsClientBuilder refreshInterval(Duration refreshInterval) {
    Objects.requireNonNull(refreshInterval, "the refresh interval must not be null");
    if (refreshInterval.isNegative()) {
      throw new IllegalArgumentException("the refresh interval must not be negative");
    }
    this.refreshInterval = refreshInterval;
    return this;
  }

  /** The mapper of values; defaults to {@link JsonValues#defaultMapper()} (java.time support). */
  public KvsClientBuilder objectMapper(ObjectMapper objectMapper) {
    this.objectMapper = Objects.requireNonNull(objectMapper, "the ObjectMapper must not be null");
    return this;
  }

  /**
   * Speaks HTTPS to every node, trusting what {@code sslContext} trusts (a context whose trust
   * store holds the cluster's CA or certificate). Without it, {@code https://} seeds use the
   * JDK's default trust. Host names or IPs are verified against the certificates either way.
   */
  public KvsClientBuilder sslContext(javax.net.ssl.SSLContext sslContext) {
    this.sslContext = Objects.requireNonNull(sslContext, "the SSLContext must not be null");
    return this;
  }

  /**
   * Builds the client and fetches the layout once (a cluster not reachable yet is no error:
   * requests go to the seeds and the layout follows).
   *
   * @throws IllegalArgumentException with one clear sentence when the configuration is wrong
   */
  public KvsClient build() {
    if (seeds.isEmpty()) {
      throw new IllegalArgumentException("the client needs at least one seed address");
    }
    boolean anyHttps = seeds.stream().anyMatch(s -> s.startsWith("https://"));
    boolean anyHttp = seeds.stream().anyMatch(s -> s.startsWith("http://"));
    if (anyHttps && anyHttp || anyHttp && sslContext != null) {
      throw new IllegalArgumentException("seeds must all use one scheme: https:// with TLS, http:// or none without");
    }
    List<String> addresses = seeds.stream().map(s -> s.replaceFirst("^https?://", "")).toList();
    List<String> bad = new ArrayList<>();
    addresses.stream().filter(s -> !Addresses.valid(s)).forEach(bad::add);
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("seed addresses must look like IP:PORT: " + bad);
    }
    KvsClientBuilder resolved = copy();
    resolved.seeds = addresses;
    resolved.https = anyHttps || sslContext != null;
    return RemoteClient.start(resolved);
  }

  private KvsClientBuilder copy() {
    try {
      // every field at once, as KvsServerBuilder does: a copy listing them by hand drops the next one added
      return (KvsClientBuilder) clone();
    } catch (CloneNotSupportedException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code https://} or {@code http://}, as {@link #build} resolved it. */
  String scheme() {
    return https ? "https://" : "http://";
  }

  private static Duration positive(Duration d, String what) {
    Objects.requireNonNull(d, "the " + what + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("the " + what + " must be positive");
    }
    return d;
  }
}
