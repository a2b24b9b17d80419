package io.kvs.testkit.sim;

import io.kvs.core.CausalContext;
import io.kvs.core.Reply;
import io.kvs.core.Request;
import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.nio.charset.StandardCharsets;

/**
 * A test client that records what it does in a {@link History} for the checkers; with
 * {@code ignoresMetadataOnReads}, it plants the bug of forgetting its metadata on reads.
 */
final class RecordingClient {
  final SimCluster cluster;
  final History history = new History();
  final boolean ignoresMetadataOnReads;
  CausalContext ctx = CausalContext.none();
  Reply last;

  RecordingClient(SimCluster cluster, boolean ignoresMetadataOnReads) {
    this.cluster = cluster;
    this.ignoresMetadataOnReads = ignoresMetadataOnReads;
  }

  void put(int session, String at, String key, String value) {
    long start = cluster.nowMs();
    Reply r = cluster.call(at, new Request.Put(key, value.getBytes(StandardCharsets.UTF_8), ctx));
    last = r;
    if (r instanceof Reply.Kv kv) {
      ctx = kv.context();
    }
    history.add(session, Operation.Kind.PUT, key, value, null,
        r instanceof Reply.Kv ? Operation.Status.OK : Operation.Status.INFO, at, start, cluster.nowMs(), "",
        r.toString());
  }

  void get(int session, String at, String key) {
    long start = cluster.nowMs();
    Reply r = cluster.call(at, new Request.Get(key, ignoresMetadataOnReads ? CausalContext.none() : ctx));
    last = r;
    String read = null;
    if (r instanceof Reply.Kv kv) {
      ctx = ctx.merge(kv.context());
      read = new String(kv.value(), StandardCharsets.UTF_8);
    }
    if (r instanceof Reply.Kv || r instanceof Reply.KeyMissing) {
      history.add(session, Operation.Kind.GET, key, null, read, Operation.Status.OK, at, start, cluster.nowMs(), "", "");
    }
  }
}
