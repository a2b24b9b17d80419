package io.kvs.testkit.process;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A small blocking HTTP client for one kvs node ({@code http://IP:PORT}), following the public
 * contract: {@code /kvs}, {@code /view} and {@code /shard}. Every call returns the status and the
 * parsed JSON body; nothing is retried here.
 *
 * <p>Causal metadata is handled as an opaque {@link JsonNode}: pass the metadata of the latest
 * response (or {@code null} for none) and take {@link Response#causalMetadata()} from the answer.
 *
 * <p>A connection failure (node down, not yet listening) throws {@link UncheckedIOException}.
 */
public final class KvsHttpClient {
  /** Shared JSON mapper. */
  public static final ObjectMapper JSON = new ObjectMapper();

  private static final HttpClient HTTP = HttpClient.newBuilder()
      .version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2))
      .build();

  private final String address;
  private final URI base;
  private final Duration requestTimeout;

  /** A client for the node at {@code address} ({@code IP:PORT}) with a 10 s request timeout. */
  public KvsHttpClient(String address) {
    this(address, Duration.ofSeconds(10));
  }

  /** A client for the node at {@code address} ({@code IP:PORT}). */
  public KvsHttpClient(String address, Duration requestTimeout) {
    this.address = address;
    this.base = URI.create("http://" + address);
    this.requestTimeout = requestTimeout;
  }

  /** The node's socket address. */
  public String address() {
    return address;
  }

  /**
   * A node's answer.
   *
   * @param status the HTTP status
   * @param body the parsed JSON body ({@link NullNode} when empty); a body that is not JSON is kept
   *     as a text node
   */
  public record Response(int status, JsonNode body) {
    /** The {@code causal-metadata} field, or {@code null} when absent. */
    public JsonNode causalMetadata() {
      return body.get("causal-metadata");
    }

    /** The {@code value} field, or {@code null}. */
    public JsonNode value() {
      return body.get("value");
    }

    /** The text of field {@code name}, or {@code null}. */
    public String text(String name) {
      JsonNode n = body.get(name);
      return n == null || n.isNull() ? null : n.asText();
    }

    /** The {@code shard-id} field as an int, or {@code null}. */
    public Integer shardId() {
      JsonNode n = body.get("shard-id");
      return n == null || !n.canConvertToInt() ? null : n.asInt();
    }

    /** The array field {@code name} as strings (empty when absent). */
    public List<String> strings(String name) {
      List<String> out = new ArrayList<>();
      JsonNode n = body.get(name);
      if (n != null && n.isArray()) {
        n.forEach(e -> out.add(e.asText()));
      }
      return out;
    }

    /** The array field {@code name} as ints (empty when absent). */
    public List<Integer> ints(String name) {
      List<Integer> out = new ArrayList<>();
      JsonNode n = body.get(name);
      if (n != null && n.isArray()) {
        n.forEach(e -> out.add(e.asInt()));
      }
      return out;
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }

  // ---- key-value operations ----

  /** {@code PUT /kvs/<key>} with {@code {"value": value, "causal-metadata": metadata}}. */
  public Response put(String key, JsonNode value, JsonNode metadata) {
    ObjectNode body = JSON.createObjectNode();
    body.set("value", value);
    body.set("causal-metadata", metadata == null ? NullNode.getInstance() : metadata);
    return send("PUT", "/kvs/" + encodeSegment(key), body);
  }

  /** {@link #put(String, JsonNode, JsonNode)} with any value Jackson can convert. */
  public Response put(String key, Object value, JsonNode metadata) {
    return put(key, JSON.valueToTree(value), metadata);
  }

  /** {@code GET /kvs/<key>} carrying {@code {"causal-metadata": metadata}}. */
  public Response get(String key, JsonNode metadata) {
    return send("GET", "/kvs/" + encodeSegment(key), metadataBody(metadata));
  }

  /** {@code DELETE /kvs/<key>} carrying {@code {"causal-metadata": metadata}}. */
  public Response delete(String key, JsonNode metadata) {
    return send("DELETE", "/kvs/" + encodeSegment(key), metadataBody(metadata));
  }

  // ---- view ----

  /** {@code GET /view}. */
  public Response view() {
    return send("GET", "/view", null);
  }

  /** The {@code view} list of {@code GET /view}; throws when the status is not 200. */
  public List<String> viewList() {
    return expect200(view()).strings("view");
  }

  /** {@code PUT /view} with {@code {"socket-address": a}}. */
  public Response addToView(String socketAddress) {
    return send("PUT", "/view", JSON.createObjectNode().put("socket-address", socketAddress));
  }

  /** {@code DELETE /view} with {@code {"socket-address": a}}. */
  public Response removeFromView(String socketAddress) {
    return send("DELETE", "/view", JSON.createObjectNode().put("socket-address", socketAddress));
  }

  // ---- shards ----

  /** {@code GET /shard/ids}. */
  public Response shardIds() {
    return send("GET", "/shard/ids", null);
  }

  /** The {@code shard-ids} list; throws when the status is not 200. */
  public List<Integer> shardIdList() {
    return expect200(shardIds()).ints("shard-ids");
  }

  /** {@code GET /shard/node-shard-id}. */
  public Response nodeShardId() {
    return send("GET", "/shard/node-shard-id", null);
  }

  /** This node's shard, or {@code null} while it is in none; throws when the status is not 200. */
  public Integer nodeShardIdValue() {
    JsonNode n = expect200(nodeShardId()).body().get("node-shard-id");
    return n == null || n.isNull() ? null : n.asInt();
  }

  /** {@code GET /shard/members/<id>}. */
  public Response shardMembers(int shardId) {
    return send("GET", "/shard/members/" + shardId, null);
  }

  /** The {@code shard-members} list; throws when the status is not 200. */
  public List<String> shardMemberList(int shardId) {
    return expect200(shardMembers(shardId)).strings("shard-members");
  }

  /** {@code GET /shard/key-count/<id>}. */
  public Response keyCount(int shardId) {
    return send("GET", "/shard/key-count/" + shardId, null);
  }

  /** The {@code shard-key-count} value; throws when the status is not 200. */
  public long keyCountValue(int shardId) {
    return expect200(keyCount(shardId)).body().path("shard-key-count").asLong(-1);
  }

  /** {@code PUT /shard/add-member/<id>} with {@code {"socket-address": a}}. */
  public Response addMember(int shardId, String socketAddress) {
    return send("PUT", "/shard/add-member/" + shardId,
        JSON.createObjectNode().put("socket-address", socketAddress));
  }

  /** {@code PUT /shard/reshard} with {@code {"shard-count": n}}. */
  public Response reshard(int shardCount) {
    return send("PUT", "/shard/reshard", JSON.createObjectNode().put("shard-count", shardCount));
  }

  // ---- plumbing ----

  /**
   * Sends any request.
   *
   * @param method the HTTP method
   * @param path starting with {@code /}, already encoded
   * @param body sent as JSON, or no body when {@code null}
   */
  public Response send(String method, String path, JsonNode body) {
    HttpRequest.BodyPublisher publisher;
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(requestTimeout);
    if (body == null) {
      publisher = HttpRequest.BodyPublishers.noBody();
    } else {
      builder.header("Content-Type", "application/json");
      publisher = HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    }
    HttpRequest request = builder.method(method, publisher).build();
    HttpResponse<String> response;
    try {
      response = HTTP.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + base.resolve(path) + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + method + " " + base.resolve(path), e);
    }
    return new Response(response.statusCode(), parse(response.body()));
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isBlank()) {
      return NullNode.getInstance();
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return JSON.getNodeFactory().textNode(text);
    }
  }

  private static ObjectNode metadataBody(JsonNode metadata) {
    ObjectNode body = JSON.createObjectNode();
    body.set("causal-metadata", metadata == null ? NullNode.getInstance() : metadata);
    return body;
  }

  private Response expect200(Response r) {
    if (r.status() != 200) {
      throw new IllegalStateException(address + " answered " + r);
    }
    return r;
  }

  /** Percent-encodes one path segment (UTF-8; unreserved characters kept). */
  public static String encodeSegment(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return "KvsHttpClient[" + address + "]";
  }
}
