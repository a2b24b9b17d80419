package io.kvs.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.kvs.api.KvsException;
import io.kvs.api.spi.CausalMetadataJson;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The contract's key requests and answers as bytes. */
final class Wire {
  /** Answers are read keeping numbers exact, so that a value's bytes survive the round trip. */
  private final ObjectMapper json = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
      .build();

  /** A key request: method, key, and body (metadata, plus the value of a PUT). */
  record Request(String method, String key, byte[] body) {
    boolean isPut() {
      return method.equals("PUT");
    }

    /** PUT and DELETE change the store; only GET may be sent twice freely. */
    boolean isWrite() {
      return !method.equals("GET");
    }
  }

  /** A request for {@code key} carrying {@code context}, and {@code value} (JSON) unless null. */
  Request request(String method, String key, CausalContext context, byte[] value) {
    ByteArrayOutputStream body = new ByteArrayOutputStream(64 + (value == null ? 0 : value.length));
    body.writeBytes("{\"causal-metadata\":".getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(CausalMetadataJson.toJson(context).toString().getBytes(StandardCharsets.UTF_8));
    if (value != null) {
      body.writeBytes(",\"value\":".getBytes(StandardCharsets.US_ASCII));
      body.writeBytes(value);
    }
    body.write('}');
    return new Request(method, key, body.toByteArray());
  }

  /** The HTTP request of {@code request} to {@code base} ({@code http://IP:PORT} or {@code https://IP:PORT}). */
  static HttpRequest http(String base, Request request, Duration timeout) {
    String path = "/kvs/" + URLEncoder.encode(request.key(), StandardCharsets.UTF_8).replace("+", "%20");
    return HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .method(request.method(), HttpRequest.BodyPublishers.ofByteArray(request.body()))
        .build();
  }

  /** The body as JSON; null when it is not JSON (an error page of something in between). */
  JsonNode parse(byte[] body) {
    try {
      JsonNode node = json.readTree(body);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /** The {@code value} of a found key as JSON bytes. */
  byte[] value(Answer answer) {
    JsonNode value = answer.body().get("value");
    if (value == null || value.isNull()) {
      throw new KvsException(KvsError.UNEXPECTED_ANSWER);
    }
    try {
      return json.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new KvsException(KvsError.UNEXPECTED_ANSWER, e);
    }
  }
}
