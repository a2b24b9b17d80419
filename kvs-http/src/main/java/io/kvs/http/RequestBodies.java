package io.kvs.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.kvs.api.spi.CausalMetadataJson;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads request bodies within a size limit and pulls the contract's fields out of them. */
final class RequestBodies {
  private RequestBodies() {}

  /**
   * The raw body, at most {@code maxBytes} long.
   *
   * @throws HttpError 413 when the body is longer
   */
  static byte[] read(Context ctx, long maxBytes) {
    long declared = ctx.req().getContentLengthLong();
    if (declared > maxBytes) {
      throw tooLarge(maxBytes);
    }
    try (InputStream in = ctx.req().getInputStream()) {
      if (declared >= 0 && declared <= Integer.MAX_VALUE - 8) {
        // the server frames the body by its Content-Length: read it into one exact array
        return in.readNBytes((int) declared);
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.max(0, Math.min(declared, 65536)));
      byte[] chunk = new byte[8192];
      long total = 0;
      for (int n = in.read(chunk); n != -1; n = in.read(chunk)) {
        total += n;
        if (total > maxBytes) {
          throw tooLarge(maxBytes);
        }
        out.write(chunk, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      // a malformed chunk, or a client that closed before sending the whole body
      throw new HttpError(400, "Request body is malformed or incomplete");
    }
  }

  /** A request body: its raw bytes and their parse as a JSON object. */
  record Body(byte[] raw, ObjectNode json) {
    /** The {@code causal-metadata} field; 400 "Invalid causal metadata" when malformed. */
    CausalContext causalMetadata() {
      try {
        return CausalMetadataJson.fromJson(json.get("causal-metadata"));
      } catch (CausalMetadataJson.InvalidMetadataException e) {
        throw new HttpError(400, KvsError.INVALID_METADATA.message());
      }
    }

    /** The {@code value} field's exact JSON bytes, or null when absent or JSON null. */
    byte[] value() {
      JsonNode value = json.get("value");
      return value == null || value.isNull() ? null : Json.rawField(raw, "value");
    }

    /** The {@code socket-address} field; 400 when absent or not a string. */
    String socketAddress() {
      JsonNode address = json.get("socket-address");
      if (address == null || !address.isTextual()) {
        throw new HttpError(400, KvsError.INVALID_ADDRESS.message());
      }
      return address.textValue();
    }

    /** The {@code shard-count} field; 400 when absent or not an integer. */
    int shardCount() {
      JsonNode count = json.get("shard-count");
      if (count == null || !count.isIntegralNumber() || !count.canConvertToInt()) {
        throw new HttpError(400, KvsError.INVALID_SHARD_COUNT.message());
      }
      return count.intValue();
    }
  }

  /**
   * The body as a JSON object; an empty body is an empty object.
   *
   * @throws HttpError 400 when the body is not a JSON object, 413 when it is too long
   */
  static Body object(Context ctx, long maxBytes) {
    return object(read(ctx, maxBytes));
  }

  /**
   * {@code bytes} as a JSON object; blank is an empty object.
   *
   * @throws HttpError 400 when they are not a JSON object
   */
  static Body object(byte[] bytes) {
    if (isBlank(bytes)) {
      return new Body(new byte[0], Json.object());
    }
    JsonNode json = Json.parseOrNull(bytes);
    if (json == null) {
      throw new HttpError(400, "Request body is not valid JSON");
    }
    if (!json.isObject()) {
      throw new HttpError(400, "Request body must be a JSON object");
    }
    return new Body(bytes, (ObjectNode) json);
  }

  /** A shard id path segment; 404 "Shard does not exist" when it is not a shard number. */
  static int shardId(String segment) {
    if (segment.matches("0|[1-9][0-9]{0,8}")) {
      return Integer.parseInt(segment);
    }
    throw new HttpError(404, KvsError.NO_SUCH_SHARD.message());
  }

  private static boolean isBlank(byte[] bytes) {
    for (byte b : bytes) {
      if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
        return false;
      }
    }
    return true;
  }

  private static HttpError tooLarge(long maxBytes) {
    return new HttpError(413, "Request body is larger than the limit of " + maxBytes + " bytes");
  }
}
