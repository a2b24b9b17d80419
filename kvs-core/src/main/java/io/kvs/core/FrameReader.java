package io.kvs.core;

import java.nio.charset.StandardCharsets;
import java.util.TreeMap;
import java.util.TreeSet;

/** Reads frames written by {@link FrameWriter}; throws {@link MalformedFrameException} on garbage. */
final class FrameReader {
  /** A frame that does not decode; the node drops it. */
  static final class MalformedFrameException extends RuntimeException {
    MalformedFrameException(String message) {
      super(message);
    }
  }

  private final byte[] in;
  private final int end;
  private int pos;

  FrameReader(byte[] in) {
    this(in, 0, in.length);
  }

  /** Reads {@code in[from..to)}, so a log record is decoded where it lies in its file. */
  FrameReader(byte[] in, int from, int to) {
    this.in = in;
    this.pos = from;
    this.end = to;
  }

  private void need(int n) {
    if (n < 0 || n > end - pos) {
      throw new MalformedFrameException("frame ends early at byte " + pos);
    }
  }

  int u8() {
    need(1);
    return in[pos++] & 0xff;
  }

  int i32() {
    need(4);
    int v = 0;
    for (int i = 0; i < 4; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  long i64() {
    need(8);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (in[pos++] & 0xff);
    }
    return v;
  }

  boolean bool() {
    return u8() != 0;
  }

  byte[] bytes() {
    int n = i32();
    if (n == -1) {
      return null;
    }
    need(n);
    byte[] v = new byte[n];
    System.arraycopy(in, pos, v, 0, n);
    pos += n;
    return v;
  }

  String str() {
    byte[] b = bytes();
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  int count() {
    int n = i32();
    if (n < 0 || n > end - pos) {
      throw new MalformedFrameException("bad element count " + n);
    }
    return n;
  }

  VectorClock clock() {
    int n = count();
    TreeMap<String, Long> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put(str(), i64());
    }
    return VectorClock.of(m);
  }

  CausalContext context() {
    long epoch = i64();
    int n = count();
    TreeMap<Integer, VectorClock> m = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      m.put(i32(), clock());
    }
    return CausalContext.of(epoch, m);
  }

  StoredValue value() {
    return new StoredValue(bytes(), i64(), str(), i64());
  }

  DotSet dots() {
    VectorClock prefix = clock();
    int n = count();
    TreeMap<String, TreeSet<Long>> gaps = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      String writer = str();
      int k = count();
      TreeSet<Long> set = new TreeSet<>();
      for (int j = 0; j < k; j++) {
        set.add(i64());
      }
      gaps.put(writer, set);
    }
    return DotSet.of(prefix, gaps);
  }

  MemberRecord record() {
    String address = str();
    int status = u8();
    if (status >= MemberRecord.Status.values().length) {
      throw new MalformedFrameException("bad member status " + status);
    }
    return new MemberRecord(address, MemberRecord.Status.values()[status], i32(), str(), i64(), i64(), str());
  }

  ClusterState state() {
    long epoch = i64();
    int shards = i32();
    int n = count();
    TreeMap<String, MemberRecord> records = new TreeMap<>();
    for (int i = 0; i < n; i++) {
      MemberRecord r = record();
      records.put(r.address(), r);
    }
    return new ClusterState(epoch, shards, records);
  }

  boolean done() {
    return pos == end;
  }
}
