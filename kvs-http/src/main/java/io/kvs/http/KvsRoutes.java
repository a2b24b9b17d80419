package io.kvs.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.KvsError;
import io.kvs.core.Node;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.core.ShardMap;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The public routes of the HTTP contract. Handlers only translate: they parse the request,
 * hand it to the node on its thread and map the answer with {@link ReplyMapper}. No Jetty
 * thread waits for the node: an answer that is not ready at once is written asynchronously.
 */
final class KvsRoutes {
  /** Answers up to this size are written by whichever thread has them; larger ones by the reply pool. */
  private static final int INLINE_WRITE_MAX_BYTES = 16 * 1024;
  private static final String JSON = "application/json";

  private final NodeThread node;
  private final long maxBodyBytes;

  KvsRoutes(NodeThread node, long maxBodyBytes) {
    this.node = node;
    this.maxBodyBytes = maxBodyBytes;
  }

  /** Registers every public route. */
  void register(RoutesConfig routes) {
    for (String path : List.of("/kvs/{key}", "/kvs")) {
      routes.put(path, this::kv);
      routes.get(path, this::kv);
      routes.delete(path, this::kv);
    }
    routes.put("/view", ctx -> submit(ctx, new Request.AddToView(body(ctx).socketAddress())));
    routes.delete("/view", ctx -> submit(ctx, new Request.RemoveFromView(body(ctx).socketAddress())));
    routes.get("/view", ctx -> query(ctx, n -> Json.object().set("view", strings(n.view()))));
    routes.get("/shard/ids", ctx -> query(ctx, n -> shardIds(n.shardMap())));
    routes.get("/shard/node-shard-id", ctx -> query(ctx, n -> nodeShardId(n.shardId())));
    routes.get("/shard/members/{id}", ctx -> members(ctx, RequestBodies.shardId(ctx.pathParam("id"))));
    routes.get("/shard/key-count/{id}",
        ctx -> submit(ctx, new Request.KeyCount(RequestBodies.shardId(ctx.pathParam("id")))));
    routes.put("/shard/add-member/{id}", ctx -> {
      int shard = RequestBodies.shardId(ctx.pathParam("id"));
      submit(ctx, new Request.AddMember(shard, body(ctx).socketAddress()));
    });
    routes.put("/shard/reshard", ctx -> submit(ctx, new Request.Reshard(body(ctx).shardCount())));
  }

  private void kv(Context ctx) {
    String key = ctx.pathParamMap().getOrDefault("key", "");
    submit(ctx, kvRequest(ctx.method().name(), key, body(ctx)));
  }

  /** The key request of {@code method} (GET, PUT or DELETE), for the decoded key and the JSON body. */
  static Request kvRequest(String method, String key, RequestBodies.Body body) {
    return switch (method) {
      case "PUT" -> new Request.Put(key, body.value(), body.causalMetadata());
      case "GET" -> new Request.Get(key, body.causalMetadata());
      case "DELETE" -> new Request.Delete(key, body.causalMetadata());
      default -> throw new IllegalArgumentException("not a key method: " + method);
    };
  }

  /**
   * Hands {@code request} to the node. When the node was idle and could answer at once (a
   * read of a key it holds), the answer is written right here; otherwise the handler
   * finishes asynchronously when the answer comes, on the thread that ran the node then
   * (a large answer is written from the node's reply pool instead, so that a slow client
   * never holds up that thread).
   */
  private void submit(Context ctx, Request request) {
    CompletableFuture<Reply> reply = node.submitDirect(request);
    if (reply.isDone() && !reply.isCompletedExceptionally()) {
      ReplyMapper.toHttp(reply.join()).writeDirectly(ctx, JSON);
      return;
    }
    ctx.future(() -> reply.thenCompose(r -> {
      HttpReply http = ReplyMapper.toHttp(r);
      if (http.body().length <= INLINE_WRITE_MAX_BYTES) {
        http.writeDirectly(ctx, JSON);
        return CompletableFuture.completedFuture(null);
      }
      return CompletableFuture.runAsync(() -> http.writeDirectly(ctx, JSON), node.replyPool());
    }));
  }

  private void query(Context ctx, Function<Node, ObjectNode> read) {
    respond(ctx, node.query(read).thenApply(body -> HttpReply.json(200, body)));
  }

  private void members(Context ctx, int shard) {
    respond(ctx, node.query(n -> n.shardMap().hasShard(shard)
        ? HttpReply.json(200, Json.object().set("shard-members", strings(n.shardMap().members(shard))))
        : ReplyMapper.error(KvsError.NO_SUCH_SHARD)));
  }

  private static void respond(Context ctx, CompletableFuture<HttpReply> reply) {
    ctx.future(() -> reply.thenAccept(r -> r.writeDirectly(ctx, JSON)));
  }

  private RequestBodies.Body body(Context ctx) {
    return RequestBodies.object(ctx, maxBodyBytes);
  }

  private static ObjectNode shardIds(ShardMap map) {
    ObjectNode json = Json.object();
    ArrayNode ids = json.putArray("shard-ids");
    for (int s = 0; s < map.shardCount(); s++) {
      ids.add(s);
    }
    return json;
  }

  private static ObjectNode nodeShardId(OptionalInt shard) {
    ObjectNode json = Json.object();
    if (shard.isPresent()) {
      json.put("node-shard-id", shard.getAsInt());
    } else {
      json.putNull("node-shard-id");
    }
    return json;
  }

  private static ArrayNode strings(List<String> values) {
    ArrayNode array = Json.MAPPER.createArrayNode();
    values.forEach(array::add);
    return array;
  }
}
