package io.kvs.api.spi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kvs.core.CausalContext;
import io.kvs.core.VectorClock;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Converts {@link CausalContext} to and from its wire form:
 * {@code {"epoch": 0, "clocks": {"<shard>": {"<writer>": <counter>, ...}, ...}}}.
 *
 * <p>{@code null}, an absent field, {@code ""} and {@code {}} all mean {@link CausalContext#none()}.
 * Otherwise both fields are required and nothing else is allowed: the epoch is a non-negative
 * integer, shard ids are decimal non-negative integers, writer ids are non-empty strings and
 * counters are positive integers.
 *
 * <p>Shared by the node (which parses what clients send) and the sessions (which merge what
 * nodes answer), so that both read the contract's metadata the same way.
 */
public final class CausalMetadataJson {
  private static final Set<String> FIELDS = Set.of("epoch", "clocks");
  private static final Pattern SHARD_ID = Pattern.compile("0|[1-9][0-9]{0,8}");

  /** Thrown for metadata the store cannot have produced. */
  public static final class InvalidMetadataException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    InvalidMetadataException(String detail) {
      super("Invalid causal metadata: " + detail);
    }
  }

  private CausalMetadataJson() {}

  /** The wire form of {@code context}. */
  public static ObjectNode toJson(CausalContext context) {
    ObjectNode json = JsonNodeFactory.instance.objectNode().put("epoch", context.epoch());
    ObjectNode clocks = json.putObject("clocks");
    context.shards().forEach((shard, clock) -> {
      ObjectNode entries = clocks.putObject(Integer.toString(shard));
      clock.entries().forEach(entries::put);
    });
    return json;
  }

  /**
   * The context {@code json} describes; {@code json} may be null (field absent).
   *
   * @throws InvalidMetadataException when {@code json} has the wrong shape
   */
  public static CausalContext fromJson(JsonNode json) {
    if (isEmpty(json)) {
      return CausalContext.none();
    }
    if (!json.isObject()) {
      throw new InvalidMetadataException("expected an object");
    }
    json.fieldNames().forEachRemaining(name -> require(FIELDS.contains(name), "unknown field " + name));
    long epoch = nonNegativeLong(json.get("epoch"), "epoch");
    JsonNode clocks = json.get("clocks");
    require(clocks != null && clocks.isObject(), "clocks must be an object");
    Map<Integer, VectorClock> shards = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = clocks.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      require(SHARD_ID.matcher(e.getKey()).matches(), "shard ids must be non-negative integers");
      shards.put(Integer.parseInt(e.getKey()), clock(e.getValue()));
    }
    return CausalContext.of(epoch, shards);
  }

  private static boolean isEmpty(JsonNode json) {
    return json == null || json.isNull() || json.isMissingNode()
        || json.isTextual() && json.textValue().isEmpty()
        || json.isObject() && json.isEmpty();
  }

  private static VectorClock clock(JsonNode json) {
    require(json.isObject(), "each shard clock must be an object");
    Map<String, Long> counters = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      require(!e.getKey().isEmpty(), "writer ids must not be empty");
      long counter = nonNegativeLong(e.getValue(), "counters");
      require(counter > 0, "counters must be positive");
      counters.put(e.getKey(), counter);
    }
    return VectorClock.of(counters);
  }

  private static long nonNegativeLong(JsonNode json, String what) {
    require(json != null && json.isIntegralNumber() && json.canConvertToLong(), what + " must be an integer");
    long value = json.longValue();
    require(value >= 0, what + " must not be negative");
    return value;
  }

  private static void require(boolean ok, String detail) {
    if (!ok) {
      throw new InvalidMetadataException(detail);
    }
  }
}
