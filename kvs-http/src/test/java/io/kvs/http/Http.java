package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A tiny blocking HTTP client for tests, plus polling with a deadline. */
final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

  /** A response: status, content type, raw body, its JSON parse (null if not JSON), and every header. */
  record Response(int status, String contentType, String body, JsonNode json, java.net.http.HttpHeaders headers) {}

  private Http() {}

  static Response call(String method, String url, String body) {
    return call(method, url, body, Map.of());
  }

  static Response call(String method, String url, String body, Map<String, String> headers) {
    return call(CLIENT, method, url, body, headers);
  }

  /** As above, through {@code client} (one that trusts a test certificate, say). */
  static Response call(HttpClient client, String method, String url, String body, Map<String, String> headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
          Json.parseOrNull(r.body().getBytes(StandardCharsets.UTF_8)), r.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static JsonNode json(String text) {
    return Json.parseOrNull(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
  static void await(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
