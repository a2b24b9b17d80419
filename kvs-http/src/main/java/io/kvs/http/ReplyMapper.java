package io.kvs.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Reply;
import io.kvs.core.VectorClock;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/** The one place where a core {@link Reply} becomes an HTTP status and JSON body. */
final class ReplyMapper {
  private ReplyMapper() {}

  /** The HTTP answer for {@code reply}. */
  static HttpReply toHttp(Reply reply) {
    if (reply instanceof Reply.Kv kv) {
      return kv(kv);
    } else if (reply instanceof Reply.KeyMissing missing) {
      return missing(missing);
    } else if (reply instanceof Reply.KeyCount count) {
      return HttpReply.json(200, Json.object().put("shard-key-count", count.count()));
    } else if (reply instanceof Reply.Ok ok) {
      return done(ok.done());
    } else if (reply instanceof Reply.Failed failed) {
      return error(failed.error());
    }
    throw new IllegalArgumentException("unknown reply " + reply);
  }

  /** The HTTP answer for a failure. */
  static HttpReply error(KvsError error) {
    return HttpReply.error(status(error.category()), error.message());
  }

  /** The status code of a failure category. */
  static int status(KvsError.Category category) {
    return switch (category) {
      case BAD_REQUEST -> 400;
      case NOT_FOUND -> 404;
      case UNAVAILABLE -> 503;
    };
  }

  /**
   * {@code {"result": ..., ["value": V,] "causal-metadata": M, "shard-id": S}}, written straight
   * to bytes: the value's own JSON bytes go in as they are, never decoded and re-encoded.
   */
  private static HttpReply kv(Reply.Kv kv) {
    byte[] value = kv.outcome() == Reply.KvOutcome.FOUND ? kv.value() : null;
    Bytes out = new Bytes(96 + (value == null ? 0 : value.length));
    out.ascii("{\"result\":\"").ascii(kv.outcome().name().toLowerCase(Locale.ROOT)).ascii("\"");
    if (value != null) {
      out.ascii(",\"value\":").bytes(value);
    }
    out.ascii(",\"causal-metadata\":");
    metadata(out, kv.context());
    out.ascii(",\"shard-id\":").number(kv.shardId()).ascii("}");
    return new HttpReply(kv.outcome() == Reply.KvOutcome.CREATED ? 201 : 200, out.toByteArray());
  }

  /** {@code {"error": "Key does not exist", "causal-metadata": M}}. */
  private static HttpReply missing(Reply.KeyMissing missing) {
    Bytes out = new Bytes(160);
    out.ascii("{\"error\":").quoted(KvsError.KEY_NOT_FOUND.message()).ascii(",\"causal-metadata\":");
    metadata(out, missing.context());
    out.ascii("}");
    return new HttpReply(404, out.toByteArray());
  }

  /** The wire form of {@link io.kvs.api.spi.CausalMetadataJson#toJson}, written straight to bytes. */
  static void metadata(Bytes out, CausalContext context) {
    out.ascii("{\"epoch\":").number(context.epoch()).ascii(",\"clocks\":{");
    boolean firstShard = true;
    for (Map.Entry<Integer, VectorClock> shard : context.shards().entrySet()) {
      out.ascii(firstShard ? "\"" : ",\"").number(shard.getKey()).ascii("\":{");
      firstShard = false;
      boolean first = true;
      for (Map.Entry<String, Long> e : shard.getValue().entries().entrySet()) {
        if (!first) {
          out.ascii(",");
        }
        first = false;
        out.quoted(e.getKey()).ascii(":").number(e.getValue());
      }
      out.ascii("}");
    }
    out.ascii("}}");
  }

  /** A growable byte buffer for writing small JSON documents. */
  static final class Bytes {
    private byte[] buf;
    private int len;

    Bytes(int capacity) {
      buf = new byte[Math.max(16, capacity)];
    }

    Bytes bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, buf, len, b.length);
      len += b.length;
      return this;
    }

    /** Appends {@code s}, which must be ASCII. */
    Bytes ascii(String s) {
      ensure(s.length());
      for (int i = 0; i < s.length(); i++) {
        buf[len++] = (byte) s.charAt(i);
      }
      return this;
    }

    Bytes number(long n) {
      return ascii(Long.toString(n));
    }

    /** Appends {@code s} as a JSON string, escaped as needed. */
    Bytes quoted(String s) {
      ensure(1);
      buf[len++] = '"';
      bytes(JsonStringEncoder.getInstance().quoteAsUTF8(s));
      ensure(1);
      buf[len++] = '"';
      return this;
    }

    private void ensure(int more) {
      if (len + more > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
      }
    }

    byte[] toByteArray() {
      return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }
  }

  private static HttpReply done(Reply.Done done) {
    return switch (done) {
      case VIEW_ADDED -> result(201, "added");
      case VIEW_ALREADY_PRESENT -> result(200, "already present");
      case VIEW_DELETED -> result(200, "deleted");
      case MEMBER_ADDED -> result(200, "node added to shard");
      case RESHARDED -> result(200, "resharded");
    };
  }

  private static HttpReply result(int status, String result) {
    return HttpReply.json(status, Json.object().put("result", result));
  }
}
