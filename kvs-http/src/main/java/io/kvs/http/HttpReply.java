package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** A finished HTTP answer: a status and a JSON body. */
record HttpReply(int status, byte[] body) {
  static HttpReply json(int status, JsonNode body) {
    return new HttpReply(status, Json.bytes(body));
  }

  static HttpReply error(int status, String message) {
    return json(status, Json.error(message));
  }

  /** Writes this answer to {@code ctx} through Javalin's result (for exception handlers). */
  void writeTo(Context ctx) {
    ctx.status(status).contentType("application/json").result(body);
  }

  /**
   * Writes this answer to the servlet response itself, as {@code contentType}: {@code ctx.result}
   * would have Javalin copy the body through a new 32 KiB buffer for every answer.
   */
  void writeDirectly(Context ctx, String contentType) {
    HttpServletResponse res = ctx.res();
    res.setStatus(status);
    res.setContentType(contentType);
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
