package io.kvs.testkit.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.testkit.history.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A client session against a {@link SimCluster}: it passes back the causal metadata of its
 * latest answer on every request, as a well-behaved client of the HTTP contract does, and
 * records every operation in the cluster's {@link SimCluster#history() history}.
 *
 * <p>Values are Java objects serialised by the cluster's Jackson {@link ObjectMapper}
 * ({@code put("x", "hello")} stores the JSON string {@code "hello"}), or JSON text given to
 * {@link #putJson}, which refuses text that is not JSON. Without an address, each request goes
 * to the next node of {@link SimCluster#reachableAddresses()}, so never to a crashed or
 * partitioned-off node.
 */
public final class SimSession {
  private final SimCluster cluster;
  private final String fixedAddress;
  private final int id;
  private CausalContext context = CausalContext.none();
  private int next;

  SimSession(SimCluster cluster, String fixedAddress, int id) {
    this.cluster = cluster;
    this.fixedAddress = fixedAddress;
    this.id = id;
  }

  /** This session's number in the history ({@link Operation#session()}). */
  public int id() {
    return id;
  }

  /** The metadata this session will send next. */
  public CausalContext context() {
    return context;
  }

  /** Replaces the session's metadata (to replay an old one, or to plant a forgetful client). */
  public void context(CausalContext context) {
    this.context = context;
  }

  private String target() {
    if (fixedAddress != null) {
      return fixedAddress;
    }
    List<String> reachable = cluster.reachableAddresses();
    if (reachable.isEmpty()) {
      throw new IllegalStateException("no node of the cluster is running");
    }
    return reachable.get(Math.floorMod(next++, reachable.size()));
  }

  /** Writes {@code value} serialised as JSON under {@code key}; a null value is refused by the node. */
  public Reply put(String key, Object value) {
    return put(target(), key, value);
  }

  /** Writes {@code value} serialised as JSON under {@code key}, at the node {@code address}. */
  public Reply put(String address, String key, Object value) {
    return write(address, key, value == null ? null : serialise(key, value));
  }

  /**
   * Writes {@code json}, a JSON text, under {@code key}.
   *
   * @throws IllegalArgumentException when {@code json} is not one well-formed JSON value
   */
  public Reply putJson(String key, String json) {
    return putJson(target(), key, json);
  }

  /** Writes {@code json}, a JSON text, under {@code key} at the node {@code address}. */
  public Reply putJson(String address, String key, String json) {
    if (json != null) {
      validate(key, json);
    }
    return write(address, key, json);
  }

  private Reply write(String address, String key, String json) {
    byte[] bytes = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
    return call(address, Operation.Kind.PUT, key, json, new Request.Put(key, bytes, context));
  }

  /** Reads {@code key}; the raw reply ({@code Kv}, {@code KeyMissing} or {@code Failed}). */
  public Reply get(String key) {
    return get(target(), key);
  }

  /** Reads {@code key} at the node {@code address}; the raw reply. */
  public Reply get(String address, String key) {
    return call(address, Operation.Kind.GET, key, null, new Request.Get(key, context));
  }

  /**
   * The value of {@code key} read as {@code type}, or empty when the key is missing.
   *
   * @throws IllegalStateException when the read fails or the value does not map to {@code type}
   */
  public <T> Optional<T> get(String key, Class<T> type) {
    String json = getJson(key);
    if (json == null) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(mapper().readValue(json, type));
    } catch (IOException e) {
      throw new IllegalStateException("the value of " + key + " is not a " + type.getSimpleName() + ": " + json, e);
    }
  }

  /**
   * The JSON text read for {@code key}, or null when the key is missing.
   *
   * @throws IllegalStateException when the read fails
   */
  public String getJson(String key) {
    Reply r = get(key);
    if (r instanceof Reply.Kv kv) {
      return new String(kv.value(), StandardCharsets.UTF_8);
    }
    if (r instanceof Reply.KeyMissing) {
      return null;
    }
    throw new IllegalStateException("read of " + key + " failed: " + r);
  }

  /** Deletes {@code key}; the raw reply. */
  public Reply delete(String key) {
    return delete(target(), key);
  }

  /** Deletes {@code key} at the node {@code address}; the raw reply. */
  public Reply delete(String address, String key) {
    return call(address, Operation.Kind.DELETE, key, null, new Request.Delete(key, context));
  }

  private Reply call(String address, Operation.Kind kind, String key, String written, Request request) {
    long invokedMs = cluster.nowMs();
    CausalContext sent = context;
    Reply r = remember(cluster.call(address, request));
    cluster.record(id, kind, key, written, r, address, invokedMs, sent);
    return r;
  }

  private Reply remember(Reply r) {
    if (r instanceof Reply.Kv kv) {
      context = kv.context();
    } else if (r instanceof Reply.KeyMissing m) {
      context = m.context();
    }
    return r;
  }

  private ObjectMapper mapper() {
    return cluster.objectMapper();
  }

  private String serialise(String key, Object value) {
    try {
      return mapper().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the value for " + key + " cannot be written as JSON: "
          + e.getOriginalMessage(), e);
    }
  }

  private void validate(String key, String json) {
    try {
      if (mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json).isMissingNode()) {
        throw new IllegalArgumentException("the value for " + key + " is empty, not a JSON text");
      }
    } catch (JsonProcessingException e) {
      String shown = json.length() > 40 ? json.substring(0, 40) + "..." : json;
      throw new IllegalArgumentException("the value for " + key + " is not a JSON text: " + shown
          + " (use put(key, value) to store a Java string)", e);
    }
  }
}
