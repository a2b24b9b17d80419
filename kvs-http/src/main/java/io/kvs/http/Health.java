package io.kvs.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.Node;
import java.util.OptionalInt;

/**
 * The probes an orchestrator polls (extensions of the contract): {@code GET /health}, 200 while
 * the process serves HTTP, and {@code GET /ready}, 200 only while the node serves its own
 * shard's keys, else 503. Both answer {@code {"status", "address", "reason"}}.
 */
final class Health {
  private static final String JSON = "application/json";

  private final NodeThread node;
  private final String address;

  Health(NodeThread node, String address) {
    this.node = node;
    this.address = address;
  }

  /** Registers {@code /health} and {@code /ready}. */
  void register(RoutesConfig routes) {
    routes.get("/health", ctx -> HttpReply.json(200, body("up", "the process is up and answers HTTP"))
        .writeDirectly(ctx, JSON));
    routes.get("/ready", this::ready);
  }

  /** Reads readiness on the node's thread; a stopped node fails the future, which JsonErrors maps to 503. */
  private void ready(Context ctx) {
    ctx.future(() -> node.query(this::readiness).thenAccept(r -> r.writeDirectly(ctx, JSON)));
  }

  /**
   * The same test the node applies before serving a key itself: a member of a shard whose data
   * it holds ({@link Node#caughtUp}). A node in no shard still forwards every request, but an
   * orchestrator should not count it as a replica, so it is not ready.
   */
  HttpReply readiness(Node n) {
    OptionalInt shard = n.shardId();
    if (shard.isEmpty()) {
      return reply(503, "not ready", shard, "the node is in no shard; it waits for PUT /shard/add-member");
    }
    int s = shard.getAsInt();
    if (!n.caughtUp()) {
      return reply(503, "not ready", shard, "the node is catching up shard " + s + " from its other members");
    }
    return reply(200, "ready", shard, "the node serves the keys of shard " + s);
  }

  private HttpReply reply(int status, String word, OptionalInt shard, String reason) {
    ObjectNode json = body(word, reason);
    if (shard.isPresent()) {
      json.put("shard-id", shard.getAsInt());
    } else {
      json.putNull("shard-id");
    }
    return HttpReply.json(status, json);
  }

  private ObjectNode body(String status, String reason) {
    ObjectNode json = Json.object();
    json.put("status", status);
    json.put("address", address);
    json.put("reason", reason);
    return json;
  }
}
