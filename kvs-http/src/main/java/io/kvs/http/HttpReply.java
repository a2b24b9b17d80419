package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;

/** A finished HTTP answer: a status and a JSON body. */
record HttpReply(int status, byte[] body) {
  static HttpReply json(int status, JsonNode body) {
    return new HttpReply(status, Json.bytes(body));
  }

  static HttpReply error(int status, String message) {
    return json(status, Json.error(message));
  }

  /** Writes this answer to {@code ctx}. */
  void writeTo(Context ctx) {
    ctx.status(status).contentType("application/json").result(body);
  }
}
