package io.kvs.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.Node;
import java.nio.charset.StandardCharsets;

/**
 * The status extensions: {@code GET /status/node} (this node's own report), {@code GET /status}
 * (the whole cluster as this node sees it, with a verdict) and {@code GET /ui} and {@code GET /}
 * (the same as an HTML page for a browser).
 */
final class StatusRoutes {
  private static final String JSON = "application/json";

  private final NodeThread node;
  private final NodeReport report;
  private final ClusterStatus cluster;

  /**
   * @param tls the context to reach the other members over HTTPS, or null for plain HTTP
   * @param metrics the node's metrics, for its request figures; null for none
   */
  StatusRoutes(NodeThread node, javax.net.ssl.SSLContext tls, NodeMetrics metrics) {
    this.node = node;
    this.report = new NodeReport(metrics == null ? null : new RequestFigures(metrics.registry()));
    this.cluster = new ClusterStatus(tls);
  }

  /** Registers the routes. */
  void register(RoutesConfig routes) {
    routes.get(ClusterStatus.NODE_PATH, this::self);
    routes.get("/status", this::status);
    routes.get("/ui", this::page);
    routes.get("/", this::page);
  }

  private void self(Context ctx) {
    ctx.future(() -> node.query(Node::status).thenApply(report::json)
        .thenAccept(json -> HttpReply.json(200, json).writeDirectly(ctx, JSON)));
  }

  private void status(Context ctx) {
    ctx.future(() -> node.query(Node::status).thenApply(report::json).thenCompose(cluster::gather)
        .thenAccept(json -> HttpReply.json(200, json).writeDirectly(ctx, JSON)));
  }

  private void page(Context ctx) {
    ctx.future(() -> node.query(Node::status).thenApply(report::json).thenCompose(cluster::gather)
        .thenAccept(json -> {
          byte[] html = StatusPage.render(json).getBytes(StandardCharsets.UTF_8);
          new HttpReply(200, html).writeDirectly(ctx, "text/html; charset=utf-8");
        }));
  }
}
