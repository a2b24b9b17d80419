package io.kvs.testkit.netns;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain HTTP to kvs nodes with JSON kept as text: request bodies are sent exactly as given, and
 * {@link Answer#raw(String)} returns a field of the answer exactly as the node wrote it, so causal
 * metadata (opaque to clients) goes back to the store byte for byte. Nothing is retried here.
 */
public final class NodeHttp {
  private static final JsonFactory JSON = new JsonFactory();
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5))
      .build();

  private NodeHttp() {
  }

  /**
   * A node's answer.
   *
   * @param status HTTP status
   * @param body the body as text ({@code ""} when empty)
   */
  public record Answer(int status, String body) {
    /** The raw JSON text of top-level field {@code name}, or {@code null} when absent. */
    public String raw(String name) {
      return rawField(body, name);
    }

    /** The causal metadata as raw JSON text, or {@code null} when absent. */
    public String metadata() {
      return raw("causal-metadata");
    }

    /** The {@code shard-id} field, or {@code null}. */
    public Integer shardId() {
      String s = raw("shard-id");
      return s == null || !s.matches("-?\\d+") ? null : Integer.valueOf(s);
    }

    /** The text of string field {@code name} (unquoted), or {@code null}. */
    public String text(String name) {
      String s = raw(name);
      if (s == null || s.equals("null")) {
        return null;
      }
      try (JsonParser p = JSON.createParser(s)) {
        p.nextToken();
        return p.getValueAsString(s);
      } catch (IOException e) {
        return s;
      }
    }

    /** The elements of top-level array field {@code name} as text (strings unquoted). */
    public List<String> list(String name) {
      List<String> out = new ArrayList<>();
      String s = raw(name);
      if (s == null) {
        return out;
      }
      try (JsonParser p = JSON.createParser(s)) {
        if (p.nextToken() != JsonToken.START_ARRAY) {
          return out;
        }
        while (p.nextToken() != JsonToken.END_ARRAY) {
          out.add(p.getText());
          p.skipChildren();
        }
      } catch (IOException e) {
        // partial list
      }
      return out;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  /**
   * Sends one request to {@code http://<address><path>}.
   *
   * @param jsonBody sent as {@code application/json}; no body when {@code null}
   * @throws IOException on connection errors and timeouts
   */
  public static Answer send(String address, String method, String path, String jsonBody, Duration timeout)
      throws IOException {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(timeout);
    HttpRequest.BodyPublisher publisher = HttpRequest.BodyPublishers.noBody();
    if (jsonBody != null) {
      b.header("Content-Type", "application/json");
      publisher = HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8);
    }
    try {
      HttpResponse<String> r = HTTP.send(b.method(method, publisher).build(),
          HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Answer(r.statusCode(), r.body() == null ? "" : r.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  /**
   * The raw text of top-level field {@code name} of JSON object {@code json}, exactly as written
   * (objects and arrays included); {@code null} when absent or when {@code json} is not an object.
   */
  public static String rawField(String json, String name) {
    if (json == null || json.isBlank()) {
      return null;
    }
    try (JsonParser p = JSON.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken t = p.nextToken();
        int start = (int) p.currentTokenLocation().getCharOffset();
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else {
          p.getText(); // completes a lazily parsed string so that the location is past it
        }
        if (field.equals(name)) {
          int end = (int) p.currentLocation().getCharOffset();
          return json.substring(start, end).trim();
        }
      }
      return null;
    } catch (IOException e) {
      return null;
    }
  }

  /** A JSON string literal for {@code text}. */
  public static String quote(String text) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
