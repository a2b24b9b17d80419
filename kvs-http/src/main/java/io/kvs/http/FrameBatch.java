package io.kvs.http;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Several node-to-node frames in one HTTP body: each as a 4-byte big-endian length and its
 * bytes. Batching lets a busy peer link carry many frames per request instead of opening a
 * connection per frame.
 */
final class FrameBatch {
  private FrameBatch() {}

  static byte[] encode(List<byte[]> frames) {
    int size = 0;
    for (byte[] f : frames) {
      size += 4 + f.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    for (byte[] f : frames) {
      out.putInt(f.length).put(f);
    }
    return out.array();
  }

  /**
   * The frames of a body.
   *
   * @throws HttpError 400 when the lengths do not add up to the body
   */
  static List<byte[]> decode(byte[] body) {
    return decode(ByteBuffer.wrap(body));
  }

  /** The frames of a message, from its position to its limit (which it consumes). */
  static List<byte[]> decode(ByteBuffer in) {
    List<byte[]> frames = new ArrayList<>();
    while (in.hasRemaining()) {
      if (in.remaining() < 4) {
        throw new HttpError(400, "Frame batch ends inside a length");
      }
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new HttpError(400, "Frame batch announces more bytes than it has");
      }
      byte[] frame = new byte[length];
      in.get(frame);
      frames.add(frame);
    }
    return frames;
  }
}
