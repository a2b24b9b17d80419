package io.kvs.testkit.sim;

import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A client session against a {@link SimCluster}: it passes back the causal metadata of its
 * latest answer on every request, as a well-behaved client of the HTTP contract does.
 */
public final class SimSession {
  private final SimCluster cluster;
  private final String fixedAddress;
  private CausalContext context = CausalContext.none();
  private int next;

  SimSession(SimCluster cluster, String fixedAddress) {
    this.cluster = cluster;
    this.fixedAddress = fixedAddress;
  }

  /** The metadata this session will send next. */
  public CausalContext context() {
    return context;
  }

  /** Replaces the session's metadata (to replay an old one, for example). */
  public void context(CausalContext context) {
    this.context = context;
  }

  private String target() {
    if (fixedAddress != null) {
      return fixedAddress;
    }
    List<String> live = cluster.liveAddresses();
    return live.get(next++ % live.size());
  }

  /** Writes {@code json} (a JSON text) under {@code key}. */
  public Reply put(String key, String json) {
    return put(target(), key, json);
  }

  public Reply put(String address, String key, String json) {
    return remember(cluster.call(address, new Request.Put(key, json.getBytes(StandardCharsets.UTF_8), context)));
  }

  public Reply get(String key) {
    return get(target(), key);
  }

  public Reply get(String address, String key) {
    return remember(cluster.call(address, new Request.Get(key, context)));
  }

  public Reply delete(String key) {
    return delete(target(), key);
  }

  public Reply delete(String address, String key) {
    return remember(cluster.call(address, new Request.Delete(key, context)));
  }

  /** The JSON text read for {@code key}, or null when the key is missing. */
  public String getValue(String key) {
    Reply r = get(key);
    if (r instanceof Reply.Kv kv) {
      return new String(kv.value(), StandardCharsets.UTF_8);
    }
    if (r instanceof Reply.KeyMissing) {
      return null;
    }
    throw new IllegalStateException("read of " + key + " failed: " + r);
  }

  private Reply remember(Reply r) {
    if (r instanceof Reply.Kv kv) {
      context = kv.context();
    } else if (r instanceof Reply.KeyMissing m) {
      context = m.context();
    }
    return r;
  }
}
