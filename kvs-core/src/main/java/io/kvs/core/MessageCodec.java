package io.kvs.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one binary encoding of {@link Msg}. Every transport, real or simulated, carries these
 * bytes, so no two nodes can ever share a mutable object.
 */
final class MessageCodec {
  private static final int VERSION = 1;

  private MessageCodec() {}

  static byte[] encode(Msg msg) {
    FrameWriter w = new FrameWriter().u8(VERSION);
    if (msg instanceof Msg.Gossip m) {
      w.u8(1).str(m.incarnation()).state(m.state()).bool(m.wantsReply()).i32(m.heardAgoMs().size());
      new TreeMap<>(m.heardAgoMs()).forEach((a, ms) -> w.str(a).i64(ms));
    } else if (msg instanceof Msg.Forward m) {
      RequestCodec.writeRequest(w.u8(2).i64(m.id()), m.request()).str(m.targetIncarnation());
    } else if (msg instanceof Msg.ForwardReply m) {
      RequestCodec.writeReply(w.u8(3).i64(m.id()).bool(m.refused()), m.reply());
    } else if (msg instanceof Msg.Replicate m) {
      w.u8(4).i64(m.id()).i64(m.epoch()).i32(m.shard()).str(m.item().key()).value(m.item().value())
          .str(m.writer()).i64(m.counter()).context(m.deps());
    } else if (msg instanceof Msg.ReplicateAck m) {
      w.u8(5).i64(m.id());
    } else if (msg instanceof Msg.SyncRequest m) {
      w.u8(6).i64(m.id()).i64(m.epoch()).i32(m.shard()).i32(m.digest().length);
      for (long d : m.digest()) {
        w.i64(d);
      }
      w.dots(m.have());
    } else if (msg instanceof Msg.SyncReply m) {
      items(w.u8(7).i64(m.id()).i64(m.epoch()).i32(m.shard()).bool(m.caughtUp()), m.items())
          .dots(m.dots()).context(m.deps());
    } else if (msg instanceof Msg.Pull m) {
      w.u8(14).i64(m.id()).i64(m.epoch()).i32(m.shard()).dots(m.have());
    } else if (msg instanceof Msg.PullReply m) {
      items(w.u8(15).i64(m.id()).i64(m.epoch()).i32(m.shard()), m.items()).dots(m.dots()).context(m.deps());
    } else if (msg instanceof Msg.ReshardPrepare m) {
      w.u8(8).i64(m.id()).i64(m.newEpoch());
    } else if (msg instanceof Msg.ReshardData m) {
      items(w.u8(9).i64(m.id()), m.items());
    } else if (msg instanceof Msg.ReshardInstall m) {
      items(w.u8(10).i64(m.id()).state(m.state()), m.items());
    } else if (msg instanceof Msg.ReshardInstalled m) {
      w.u8(11).i64(m.id());
    } else if (msg instanceof Msg.ReshardAbort m) {
      w.u8(13).i64(m.id());
    } else if (msg instanceof Msg.Leaving m) {
      w.u8(16).str(m.incarnation());
    } else if (msg instanceof Msg.Handoff m) {
      items(w.u8(12).i64(m.epoch()).i32(m.shard()), m.items());
    }
    return w.toBytes();
  }

  private static FrameWriter items(FrameWriter w, List<Msg.Item> items) {
    w.i32(items.size());
    items.forEach(i -> w.str(i.key()).value(i.value()));
    return w;
  }

  private static List<Msg.Item> items(FrameReader r) {
    int n = r.count();
    List<Msg.Item> items = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      items.add(new Msg.Item(r.str(), r.value()));
    }
    return items;
  }

  /** Decodes a frame; throws {@link FrameReader.MalformedFrameException} on anything else. */
  static Msg decode(byte[] frame) {
    try {
      return decodeUnchecked(frame);
    } catch (FrameReader.MalformedFrameException e) {
      throw e;
    } catch (RuntimeException e) {
      // Values that decode but break an invariant (a negative counter, a null key, ...).
      throw new FrameReader.MalformedFrameException("invalid field: " + e.getMessage());
    }
  }

  private static Msg decodeUnchecked(byte[] frame) {
    FrameReader r = new FrameReader(frame);
    if (r.u8() != VERSION) {
      throw new FrameReader.MalformedFrameException("unknown frame version");
    }
    Msg msg = switch (r.u8()) {
      case 1 -> gossip(r);
      case 2 -> new Msg.Forward(r.i64(), RequestCodec.readRequest(r), r.str());
      case 3 -> new Msg.ForwardReply(r.i64(), r.bool(), RequestCodec.readReply(r));
      case 4 -> new Msg.Replicate(r.i64(), r.i64(), r.i32(), new Msg.Item(r.str(), r.value()), r.str(), r.i64(),
          r.context());
      case 5 -> new Msg.ReplicateAck(r.i64());
      case 6 -> syncRequest(r);
      case 7 -> new Msg.SyncReply(r.i64(), r.i64(), r.i32(), r.bool(), items(r), r.dots(), r.context());
      case 8 -> new Msg.ReshardPrepare(r.i64(), r.i64());
      case 9 -> new Msg.ReshardData(r.i64(), items(r));
      case 10 -> new Msg.ReshardInstall(r.i64(), r.state(), items(r));
      case 11 -> new Msg.ReshardInstalled(r.i64());
      case 12 -> new Msg.Handoff(r.i64(), r.i32(), items(r));
      case 13 -> new Msg.ReshardAbort(r.i64());
      case 14 -> new Msg.Pull(r.i64(), r.i64(), r.i32(), r.dots());
      case 15 -> new Msg.PullReply(r.i64(), r.i64(), r.i32(), items(r), r.dots(), r.context());
      case 16 -> new Msg.Leaving(r.str());
      default -> throw new FrameReader.MalformedFrameException("unknown message type");
    };
    if (!r.done()) {
      throw new FrameReader.MalformedFrameException("trailing bytes after message");
    }
    return msg;
  }

  private static Msg.Gossip gossip(FrameReader r) {
    String incarnation = r.str();
    ClusterState state = r.state();
    boolean wantsReply = r.bool();
    int n = r.count();
    Map<String, Long> heard = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      heard.put(r.str(), r.i64());
    }
    return new Msg.Gossip(incarnation, state, heard, wantsReply);
  }

  private static Msg.SyncRequest syncRequest(FrameReader r) {
    long id = r.i64();
    long epoch = r.i64();
    int shard = r.i32();
    int n = r.count();
    long[] digest = new long[n];
    for (int i = 0; i < n; i++) {
      digest[i] = r.i64();
    }
    return new Msg.SyncRequest(id, epoch, shard, digest, r.dots());
  }

  /** A one-line description for traces, or why the frame does not decode. */
  static String describe(byte[] frame) {
    try {
      Msg m = decode(frame);
      return m.getClass().getSimpleName();
    } catch (RuntimeException e) {
      return "malformed(" + e.getMessage() + ")";
    }
  }
}
