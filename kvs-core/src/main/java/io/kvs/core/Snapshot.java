package io.kvs.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole durable state of a node at one moment, made only of immutable parts so that it can
 * be encoded on another thread while the node goes on. It is written as the same records the
 * log holds, ending with an end mark, so recovery reads both the same way.
 */
record Snapshot(List<String> incarnations, ClusterState state, long frozen, long epoch, int shard,
                boolean caughtUp, List<Msg.Item> items, DotSet dots, CausalContext deps) {
  byte[] encode() {
    List<byte[]> frames = new ArrayList<>(items.size() + 16);
    StateLog log = LogRecords.encoder(payload -> frames.add(LogFormat.frame(payload)));
    incarnations.forEach(i -> frames.add(LogFormat.frame(LogRecords.incarnation(i))));
    log.state(state);
    log.frozen(frozen);
    log.reset(epoch, shard);
    items.forEach(i -> log.applied(i.key(), i.value()));
    log.dots(dots);
    log.deps(deps);
    if (caughtUp) {
      log.caughtUp();
    }
    frames.add(LogFormat.frame(LogRecords.end()));
    return concat(frames);
  }

  private static byte[] concat(List<byte[]> frames) {
    int size = 0;
    for (byte[] f : frames) {
      size += f.length;
    }
    byte[] out = new byte[size];
    int at = 0;
    for (byte[] f : frames) {
      System.arraycopy(f, 0, out, at, f.length);
      at += f.length;
    }
    return out;
  }
}
