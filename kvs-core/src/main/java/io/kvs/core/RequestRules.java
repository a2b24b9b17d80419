package io.kvs.core;

/** Validation and routing facts about client requests. */
final class RequestRules {
  private RequestRules() {}

  /** The error a malformed request deserves, or null when it is well formed. */
  static KvsError validate(Request request) {
    String key = keyOf(request);
    if (key != null) {
      if (key.isEmpty()) {
        return KvsError.KEY_EMPTY;
      }
      if (key.length() > Request.MAX_KEY_LENGTH) {
        return KvsError.KEY_TOO_LONG;
      }
    }
    if (request instanceof Request.Put p && p.value() == null) {
      return KvsError.VALUE_MISSING;
    }
    if (request instanceof Request.AddToView v && !Addresses.valid(v.address())
        || request instanceof Request.RemoveFromView r && !Addresses.valid(r.address())
        || request instanceof Request.AddMember m && !Addresses.valid(m.address())) {
      return KvsError.INVALID_ADDRESS;
    }
    return null;
  }

  static String keyOf(Request request) {
    if (request instanceof Request.Put p) {
      return p.key() == null ? "" : p.key();
    } else if (request instanceof Request.Get g) {
      return g.key() == null ? "" : g.key();
    } else if (request instanceof Request.Delete d) {
      return d.key() == null ? "" : d.key();
    }
    return null;
  }

  static CausalContext contextOf(Request request) {
    CausalContext ctx = null;
    if (request instanceof Request.Put p) {
      ctx = p.context();
    } else if (request instanceof Request.Get g) {
      ctx = g.context();
    } else if (request instanceof Request.Delete d) {
      ctx = d.context();
    }
    return ctx == null ? CausalContext.none() : ctx;
  }

  /** The shard a key request or key count goes to under {@code map}; -1 for a missing shard. */
  static int shardOf(Request request, ShardMap map) {
    if (request instanceof Request.KeyCount k) {
      return map.hasShard(k.shard()) ? k.shard() : -1;
    }
    return map.shardForKey(keyOf(request));
  }
}
