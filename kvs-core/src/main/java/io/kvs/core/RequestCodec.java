package io.kvs.core;

/** Encodes client requests and replies for forwarding between nodes. */
final class RequestCodec {
  private RequestCodec() {}

  static FrameWriter writeRequest(FrameWriter w, Request request) {
    if (request instanceof Request.Put p) {
      return w.u8(1).str(p.key()).bytes(p.value()).context(p.context());
    } else if (request instanceof Request.Get g) {
      return w.u8(2).str(g.key()).context(g.context());
    } else if (request instanceof Request.Delete d) {
      return w.u8(3).str(d.key()).context(d.context());
    } else if (request instanceof Request.KeyCount k) {
      return w.u8(4).i32(k.shard());
    }
    throw new IllegalArgumentException("only key-value requests and key counts are forwarded: " + request);
  }

  static Request readRequest(FrameReader r) {
    return switch (r.u8()) {
      case 1 -> new Request.Put(r.str(), r.bytes(), r.context());
      case 2 -> new Request.Get(r.str(), r.context());
      case 3 -> new Request.Delete(r.str(), r.context());
      case 4 -> new Request.KeyCount(r.i32());
      default -> throw new FrameReader.MalformedFrameException("unknown request type");
    };
  }

  static FrameWriter writeReply(FrameWriter w, Reply reply) {
    if (reply instanceof Reply.Kv kv) {
      return w.u8(1).u8(kv.outcome().ordinal()).bytes(kv.value()).context(kv.context()).i32(kv.shardId());
    } else if (reply instanceof Reply.KeyMissing m) {
      return w.u8(2).context(m.context());
    } else if (reply instanceof Reply.KeyCount c) {
      return w.u8(3).i64(c.count());
    } else if (reply instanceof Reply.Ok ok) {
      return w.u8(4).u8(ok.done().ordinal());
    } else if (reply instanceof Reply.Failed f) {
      return w.u8(5).u8(f.error().ordinal());
    }
    return w.u8(0);
  }

  static Reply readReply(FrameReader r) {
    return switch (r.u8()) {
      case 0 -> null;
      case 1 -> new Reply.Kv(pick(Reply.KvOutcome.values(), r.u8()), r.bytes(), r.context(), r.i32());
      case 2 -> new Reply.KeyMissing(r.context());
      case 3 -> new Reply.KeyCount(r.i64());
      case 4 -> new Reply.Ok(pick(Reply.Done.values(), r.u8()));
      case 5 -> new Reply.Failed(pick(KvsError.values(), r.u8()));
      default -> throw new FrameReader.MalformedFrameException("unknown reply type");
    };
  }

  private static <T> T pick(T[] values, int ordinal) {
    if (ordinal >= values.length) {
      throw new FrameReader.MalformedFrameException("bad enum ordinal " + ordinal);
    }
    return values[ordinal];
  }
}
