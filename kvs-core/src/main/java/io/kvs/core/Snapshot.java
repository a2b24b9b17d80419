package io.kvs.core;

import java.util.List;

/**
 * The whole durable state of a node at one moment, made only of immutable parts so that it can
 * be encoded on another thread while the node goes on. It is written as the same records the
 * log holds, ending with an end mark, so recovery reads both the same way.
 */
record Snapshot(List<String> incarnations, ClusterState state, long frozen, long epoch, int shard,
                boolean caughtUp, List<Msg.Item> items, DotSet dots, CausalContext deps) {
  byte[] encode() {
    FrameWriter out = new FrameWriter();
    StateLog log = LogRecords.encoder(payload -> out.raw(LogFormat.frame(payload)));
    incarnations.forEach(i -> out.raw(LogFormat.frame(LogRecords.incarnation(i))));
    log.state(state);
    log.frozen(frozen);
    log.reset(epoch, shard);
    items.forEach(i -> log.applied(i.key(), i.value()));
    log.dots(dots);
    log.deps(deps);
    if (caughtUp) {
      log.caughtUp();
    }
    out.raw(LogFormat.frame(LogRecords.end()));
    return out.toBytes();
  }
}
