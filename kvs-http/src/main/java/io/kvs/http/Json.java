package io.kvs.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/** The one Jackson configuration of the HTTP layer, and small helpers around it. */
final class Json {
  /**
   * Strict parsing (duplicate keys and trailing tokens are errors) and exact numbers (floats
   * are read as BigDecimal, so a session's reads lose no precision).
   */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  private Json() {}

  /** A new empty JSON object. */
  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** {@code {"error": message}}. */
  static ObjectNode error(String message) {
    return object().put("error", message);
  }

  /** Parses {@code bytes} as one JSON document; null when it is not JSON. */
  static JsonNode parseOrNull(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return node == null || node.isMissingNode() ? null : node;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * The exact bytes of top-level field {@code name} in the JSON object {@code document}
   * (already validated), or null when the field is absent or JSON null. Falls back to
   * re-serialising when the input is not UTF-8 and offsets are unknown.
   */
  static byte[] rawField(byte[] document, String name) {
    try (JsonParser p = MAPPER.getFactory().createParser(document)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals(name)) {
          return value == JsonToken.VALUE_NULL ? null : slice(document, name, p);
        }
        p.skipChildren();
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] slice(byte[] document, String name, JsonParser p) throws IOException {
    long start = p.currentTokenLocation().getByteOffset();
    if (p.currentToken().isScalarValue()) {
      p.finishToken();
    } else {
      p.skipChildren();
    }
    long end = p.currentLocation().getByteOffset();
    if (start < 0 || end <= start || end > document.length) {
      return bytes(MAPPER.readTree(document).get(name));
    }
    return Arrays.copyOfRange(document, (int) start, (int) end);
  }

  /** Serialises {@code node} to UTF-8 JSON. */
  static byte[] bytes(Object node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
