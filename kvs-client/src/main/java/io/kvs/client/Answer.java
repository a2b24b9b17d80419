package io.kvs.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.kvs.api.KvsException;
import io.kvs.api.spi.CausalMetadataJson;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.util.Arrays;
import java.util.Optional;

/**
 * A node's answer to a key request, read as the contract says: 200/201 done, 404 with metadata
 * a missing key, 4xx refused, 503 unavailable with the node's sentence.
 *
 * @param body the parsed JSON body; null when it was not JSON
 */
record Answer(String node, int status, JsonNode body) {
  boolean done() {
    return status == 200 || status == 201;
  }

  /** 404 "Key does not exist", which carries metadata (unlike an unknown route). */
  boolean keyMissing() {
    return status == 404 && body != null && body.has("causal-metadata")
        && KvsError.KEY_NOT_FOUND.message().equals(text("error"));
  }

  /** The answer's causal context. */
  CausalContext context() {
    try {
      return CausalMetadataJson.fromJson(body.get("causal-metadata"));
    } catch (IllegalArgumentException e) {
      throw new KvsException(KvsError.UNEXPECTED_ANSWER, e);
    }
  }

  /** The shard the node says holds the key; empty when the answer does not say. */
  Optional<Integer> shardId() {
    JsonNode id = body == null ? null : body.get("shard-id");
    return id != null && id.canConvertToInt() ? Optional.of(id.intValue()) : Optional.empty();
  }

  /** The error of a failed answer: the KvsError with the node's sentence, else a generic one. */
  KvsError error() {
    String sentence = text("error");
    Optional<KvsError> known = Arrays.stream(KvsError.values()).filter(e -> e.message().equals(sentence)).findFirst();
    if (known.isPresent()) {
      return known.get();
    }
    if (status >= 400 && status < 500) {
      return KvsError.REQUEST_REFUSED;
    }
    return status == 503 ? KvsError.SHARD_UNAVAILABLE : KvsError.UNEXPECTED_ANSWER;
  }

  private String text(String field) {
    JsonNode node = body == null ? null : body.get(field);
    return node == null ? null : node.asText();
  }
}
