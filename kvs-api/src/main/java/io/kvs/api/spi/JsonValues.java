package io.kvs.api.spi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.kvs.api.KvsException;
import io.kvs.core.KvsError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Values of sessions: objects to JSON bytes and back through one {@link ObjectMapper}, with
 * every failure a {@link KvsException} of the bad-request category.
 */
public final class JsonValues {
  private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

  private final ObjectMapper mapper;
  /** Trees keep numbers exactly as written: decimals as BigDecimal with their scale. */
  private final ObjectReader treeReader;

  /** Values mapped by {@code mapper}. */
  public JsonValues(ObjectMapper mapper) {
    this.mapper = Objects.requireNonNull(mapper, "the ObjectMapper must not be null");
    this.treeReader = mapper.readerFor(JsonNode.class)
        .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .without(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES);
  }

  /**
   * The mapper sessions use unless given one: Jackson's defaults plus java.time values
   * (written as ISO-8601 strings, not numbers) and decimals read as BigDecimal.
   */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /** The mapper. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /**
   * {@code value} as UTF-8 JSON.
   *
   * @throws KvsException {@link KvsError#VALUE_MISSING} for null or a value written as JSON
   *     null, {@link KvsError#VALUE_NOT_SERIALISABLE} when the mapper cannot write it
   */
  public byte[] write(Object value) {
    if (value == null) {
      throw new KvsException(KvsError.VALUE_MISSING);
    }
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new KvsException(KvsError.VALUE_NOT_SERIALISABLE, e);
    }
    if (Arrays.equals(json, JSON_NULL)) {
      throw new KvsException(KvsError.VALUE_MISSING);
    }
    return json;
  }

  /**
   * The raw JSON document {@code json}, checked to be one JSON value.
   *
   * @throws KvsException {@link KvsError#VALUE_MISSING} for null or JSON null,
   *     {@link KvsError#VALUE_NOT_JSON} when it is not one valid JSON value
   */
  public byte[] writeRaw(String json) {
    if (json == null) {
      throw new KvsException(KvsError.VALUE_MISSING);
    }
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    JsonNode tree;
    try {
      tree = treeReader.with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readValue(bytes);
    } catch (IOException e) {
      throw new KvsException(KvsError.VALUE_NOT_JSON, e);
    }
    if (tree == null || tree.isMissingNode()) {
      throw new KvsException(KvsError.VALUE_NOT_JSON);
    }
    if (tree.isNull()) {
      throw new KvsException(KvsError.VALUE_MISSING);
    }
    return bytes;
  }

  /** The stored JSON {@code bytes} as a tree. */
  public JsonNode readTree(byte[] bytes) {
    try {
      return treeReader.readValue(bytes);
    } catch (IOException e) {
      throw new KvsException(KvsError.UNEXPECTED_ANSWER, e);
    }
  }

  /**
   * The stored JSON {@code bytes} as a {@code type}.
   *
   * @throws KvsException {@link KvsError#VALUE_TYPE_MISMATCH} when they do not map to it
   */
  public <T> T read(byte[] bytes, JavaType type) {
    try {
      return mapper.readValue(bytes, type);
    } catch (IOException | IllegalArgumentException e) {
      throw new KvsException(KvsError.VALUE_TYPE_MISMATCH, e);
    }
  }
}
