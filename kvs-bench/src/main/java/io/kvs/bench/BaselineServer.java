package io.kvs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reference point: a bare Javalin node (default configuration, like a kvs node's) that
 * answers {@code GET /base/<key>} from a ConcurrentHashMap and stores {@code PUT /base/<key>}
 * bodies {@code {"value": V}} after parsing them, both as small JSON documents.
 */
final class BaselineServer implements AutoCloseable {
  static final String PREFIX = "/base/";
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final byte[] FOUND = "{\"result\":\"found\",\"value\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CREATED = "{\"result\":\"created\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] REPLACED = "{\"result\":\"replaced\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] MISSING = "{\"error\":\"Key does not exist\"}".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] NO_VALUE =
      "{\"error\":\"PUT request does not specify a value\"}".getBytes(StandardCharsets.US_ASCII);

  private final ConcurrentHashMap<String, byte[]> map = new ConcurrentHashMap<>();
  private final Javalin app;

  BaselineServer(int port) {
    app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.routes.get(PREFIX + "{key}", this::get);
      config.routes.put(PREFIX + "{key}", this::put);
    });
    app.start("127.0.0.1", port);
  }

  /** Runs a baseline node in a process of its own, on 127.0.0.1 and port {@code args[0]}, until killed. */
  public static void main(String[] args) throws InterruptedException {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    new BaselineServer(Integer.parseInt(args[0]));
    Thread.currentThread().join();
  }

  String address() {
    return "127.0.0.1:" + app.port();
  }

  private void get(Context ctx) {
    byte[] value = map.get(ctx.pathParam("key"));
    if (value == null) {
      ctx.status(404).contentType("application/json").result(MISSING);
      return;
    }
    byte[] body = new byte[FOUND.length + value.length + 1];
    System.arraycopy(FOUND, 0, body, 0, FOUND.length);
    System.arraycopy(value, 0, body, FOUND.length, value.length);
    body[body.length - 1] = '}';
    ctx.status(200).contentType("application/json").result(body);
  }

  private void put(Context ctx) throws IOException {
    JsonNode body = MAPPER.readTree(ctx.bodyAsBytes());
    JsonNode value = body == null ? null : body.get("value");
    if (value == null || value.isNull()) {
      ctx.status(400).contentType("application/json").result(NO_VALUE);
      return;
    }
    byte[] previous = map.put(ctx.pathParam("key"), MAPPER.writeValueAsBytes(value));
    ctx.status(previous == null ? 201 : 200).contentType("application/json")
        .result(previous == null ? CREATED : REPLACED);
  }

  @Override
  public void close() {
    app.stop();
  }
}
