package io.kvs.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The one place where a core {@link Reply} becomes an HTTP status and JSON body. */
final class ReplyMapper {
  private ReplyMapper() {}

  /** The HTTP answer for {@code reply}. */
  static HttpReply toHttp(Reply reply) {
    if (reply instanceof Reply.Kv kv) {
      return kv(kv);
    } else if (reply instanceof Reply.KeyMissing missing) {
      ObjectNode body = Json.error(KvsError.KEY_NOT_FOUND.message());
      body.set("causal-metadata", CausalMetadataJson.toJson(missing.context()));
      return HttpReply.json(404, body);
    } else if (reply instanceof Reply.KeyCount count) {
      return HttpReply.json(200, Json.object().put("shard-key-count", count.count()));
    } else if (reply instanceof Reply.Ok ok) {
      return done(ok.done());
    } else if (reply instanceof Reply.Failed failed) {
      return error(failed.error());
    }
    throw new IllegalArgumentException("unknown reply " + reply);
  }

  /** The HTTP answer for a failure. */
  static HttpReply error(KvsError error) {
    return HttpReply.error(status(error.category()), error.message());
  }

  /** The status code of a failure category. */
  static int status(KvsError.Category category) {
    return switch (category) {
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case UNAVAILABLE -> 503;
    };
  }

  private static HttpReply kv(Reply.Kv kv) {
    ObjectNode body = Json.object().put("result", kv.outcome().name().toLowerCase(Locale.ROOT));
    if (kv.outcome() == Reply.KvOutcome.FOUND) {
      body.putRawValue("value", new RawValue(new String(kv.value(), StandardCharsets.UTF_8)));
    }
    body.set("causal-metadata", CausalMetadataJson.toJson(kv.context()));
    body.put("shard-id", kv.shardId());
    return HttpReply.json(kv.outcome() == Reply.KvOutcome.CREATED ? 201 : 200, body);
  }

  private static HttpReply done(Reply.Done done) {
    return switch (done) {
      case VIEW_ADDED -> result(201, "added");
      case VIEW_ALREADY_PRESENT -> result(200, "already present");
      case VIEW_DELETED -> result(200, "deleted");
      case MEMBER_ADDED -> result(200, "node added to shard");
      case RESHARDED -> result(200, "resharded");
    };
  }

  private static HttpReply result(int status, String result) {
    return HttpReply.json(status, Json.object().put("result", result));
  }
}
