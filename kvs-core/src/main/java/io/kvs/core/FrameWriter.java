package io.kvs.core;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes the binary frames nodes exchange and the records of the log: big-endian numbers,
 * length-prefixed bytes. It fills a plain array rather than a ByteArrayOutputStream, whose
 * every one-byte write takes a lock: on the write path that cost more than the encoding.
 */
final class FrameWriter {
  private byte[] buf = new byte[128];
  private int size;

  private void ensure(int more) {
    if (size + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
    }
  }

  FrameWriter u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  FrameWriter i32(int v) {
    ensure(4);
    for (int shift = 24; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  FrameWriter i64(long v) {
    ensure(8);
    for (int shift = 56; shift >= 0; shift -= 8) {
      buf[size++] = (byte) (v >>> shift);
    }
    return this;
  }

  FrameWriter bool(boolean v) {
    return u8(v ? 1 : 0);
  }

  /** Bytes as they are, without a length (records already framed, for a snapshot). */
  FrameWriter raw(byte[] v) {
    ensure(v.length);
    System.arraycopy(v, 0, buf, size, v.length);
    size += v.length;
    return this;
  }

  /** Null-aware byte array: length -1 stands for null. */
  FrameWriter bytes(byte[] v) {
    if (v == null) {
      return i32(-1);
    }
    i32(v.length);
    ensure(v.length);
    System.arraycopy(v, 0, buf, size, v.length);
    size += v.length;
    return this;
  }

  FrameWriter str(String v) {
    return bytes(v == null ? null : v.getBytes(StandardCharsets.UTF_8));
  }

  FrameWriter clock(VectorClock clock) {
    i32(clock.size());
    clock.entries().forEach((writer, count) -> str(writer).i64(count));
    return this;
  }

  FrameWriter context(CausalContext ctx) {
    i64(ctx.epoch()).i32(ctx.shards().size());
    ctx.shards().forEach((shard, clock) -> i32(shard).clock(clock));
    return this;
  }

  FrameWriter value(StoredValue v) {
    return bytes(v.value()).i64(v.lamport()).str(v.writer()).i64(v.dot());
  }

  FrameWriter dots(DotSet dots) {
    clock(dots.clock());
    Map<String, TreeSet<Long>> gaps = dots.gaps();
    i32(gaps.size());
    gaps.forEach((writer, set) -> {
      str(writer).i32(set.size());
      set.forEach(this::i64);
    });
    return this;
  }

  FrameWriter record(MemberRecord r) {
    return str(r.address()).u8(r.status().ordinal()).i32(r.shard()).str(r.incarnation())
        .i64(r.epoch()).i64(r.stamp()).str(r.origin());
  }

  FrameWriter state(ClusterState s) {
    i64(s.epoch).i32(s.shardCount).i32(s.records.size());
    s.records.values().forEach(this::record);
    return this;
  }

  byte[] toBytes() {
    return Arrays.copyOf(buf, size);
  }
}
