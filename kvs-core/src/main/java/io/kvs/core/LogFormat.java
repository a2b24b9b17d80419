package io.kvs.core;

import java.util.zip.CRC32C;

/**
 * How records lie in a log or snapshot file: a 12-byte header (payload length, CRC32C of the
 * length, CRC32C of the payload), then the payload. The length has a checksum of its own so a
 * flipped length reads as corruption rather than as a record cut short by a crash.
 */
final class LogFormat {
  static final int HEADER_BYTES = 12;
  /** The unit a device writes whole: a crash tears a write only at these boundaries. */
  static final int SECTOR_BYTES = 512;

  /** How a scan ended. */
  enum End {
    /** Every byte belongs to a whole, intact record, or to zeros allocated after the last one. */
    CLEAN,
    /** The file ends inside a record: the crash cut the last write short. */
    TORN,
    /** A record fails its checksum: the file holds damaged data. */
    CORRUPT
  }

  /** Where the intact records end, and why. */
  record Scan(int validBytes, int records, End end) {}

  /** One intact record's payload, {@code file[from..to)}. */
  @FunctionalInterface
  interface Visitor {
    void record(byte[] file, int from, int to);
  }

  private LogFormat() {}

  static byte[] frame(byte[] payload) {
    byte[] out = new byte[HEADER_BYTES + payload.length];
    putInt(out, 0, payload.length);
    putInt(out, 4, crc(out, 0, 4));
    putInt(out, 8, crc(payload, 0, payload.length));
    System.arraycopy(payload, 0, out, HEADER_BYTES, payload.length);
    return out;
  }

  /**
   * Visits the intact records of {@code file} in order and stops at the first that is cut short
   * or fails its checksum. With {@code verify} false, checksums are not compared: that is a
   * planted bug for the simulator's tests, never a mode to run in.
   */
  static Scan scan(byte[] file, boolean verify, Visitor visitor) {
    int pos = 0;
    int records = 0;
    while (pos < file.length) {
      int left = file.length - pos;
      if (zerosFrom(file, pos)) {
        return new Scan(pos, records, End.CLEAN); // space allocated ahead of the log, never written
      }
      if (left < HEADER_BYTES) {
        return new Scan(pos, records, End.TORN);
      }
      int length = getInt(file, pos);
      if (verify && getInt(file, pos + 4) != crc(file, pos, 4)) {
        return new Scan(pos, records, tornIntoZeros(file, pos, HEADER_BYTES) ? End.TORN : End.CORRUPT);
      }
      if (length < 0 || length > left - HEADER_BYTES) {
        return new Scan(pos, records, verify ? End.TORN : End.CORRUPT);
      }
      int from = pos + HEADER_BYTES;
      if (verify && getInt(file, pos + 8) != crc(file, from, length)) {
        return new Scan(pos, records, tornIntoZeros(file, pos, HEADER_BYTES + length) ? End.TORN : End.CORRUPT);
      }
      visitor.record(file, from, from + length);
      records++;
      pos = from + length;
    }
    return new Scan(pos, records, End.CLEAN);
  }

  /**
   * Whether the failing record at {@code pos}, {@code extent} bytes long, is a write the crash cut
   * short in space allocated ahead of the log: from a sector boundary inside it to the end of the
   * file, every byte is zero. A flipped bit leaves no such run, so it still reads as corruption.
   */
  static boolean tornIntoZeros(byte[] file, int pos, int extent) {
    int zeroRun = file.length;
    while (zeroRun > pos && file[zeroRun - 1] == 0) {
      zeroRun--;
    }
    long boundary = Math.max(roundUpToSector(zeroRun), roundUpToSector(pos + 1L));
    return boundary < (long) pos + extent && boundary <= file.length;
  }

  private static long roundUpToSector(long offset) {
    return (offset + SECTOR_BYTES - 1) / SECTOR_BYTES * SECTOR_BYTES;
  }

  /** True when every byte from {@code from} on is zero. */
  private static boolean zerosFrom(byte[] file, int from) {
    for (int i = from; i < file.length; i++) {
      if (file[i] != 0) {
        return false;
      }
    }
    return true;
  }

  private static int crc(byte[] b, int from, int length) {
    CRC32C c = new CRC32C();
    c.update(b, from, length);
    return (int) c.getValue();
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  private static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }
}
