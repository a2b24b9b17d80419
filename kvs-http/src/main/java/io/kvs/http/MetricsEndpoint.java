package io.kvs.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.Node;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET /metrics} (an extension of the contract): every metric of the node in the
 * Prometheus text exposition format. A scrape reads the core's counts in one query on the
 * node's thread; a stopped node fails that query, which {@link JsonErrors} maps to 503.
 */
final class MetricsEndpoint {
  /** The Prometheus text format, version 0.0.4: what {@link NodeMetrics#scrape} writes. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final NodeThread node;
  private final NodeMetrics metrics;

  MetricsEndpoint(NodeThread node, NodeMetrics metrics) {
    this.node = node;
    this.metrics = metrics;
  }

  /** Registers {@code /metrics}. */
  void register(RoutesConfig routes) {
    routes.get("/metrics", this::scrape);
  }

  private void scrape(Context ctx) {
    ctx.future(() -> node.query(Node::stats).thenAccept(stats -> write(ctx, metrics.scrape(stats))));
  }

  private static void write(Context ctx, String text) {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType(CONTENT_TYPE);
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
