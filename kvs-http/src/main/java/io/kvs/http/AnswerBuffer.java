package io.kvs.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;

/**
 * The bytes of a peer's answer as they come in, over as many reads as it takes, and the
 * {@link HttpAnswer} once they are all there. It grows as needed; {@link HttpAnswer#parse}
 * bounds how far.
 */
final class AnswerBuffer {
  private byte[] bytes = new byte[512];
  private int length;

  /** Forgets what was read, for the next answer. */
  void clear() {
    length = 0;
  }

  /** True while not one byte of the answer has come. */
  boolean isEmpty() {
    return length == 0;
  }

  /** Reads what {@code channel} has now; returns the bytes read, 0 if none, -1 at its end. */
  int readFrom(ReadableByteChannel channel) throws IOException {
    if (length == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    int n = channel.read(ByteBuffer.wrap(bytes, length, bytes.length - length));
    if (n > 0) {
      length += n;
    }
    return n;
  }

  /** The answer, or null while part of it has yet to come. */
  HttpAnswer answer() throws IOException {
    return HttpAnswer.parse(bytes, length);
  }

  /** The answer's body, copied out. */
  byte[] body(HttpAnswer answer) {
    return Arrays.copyOfRange(bytes, answer.bodyStart(), answer.end());
  }

  /** True when more bytes were read than {@code answer} takes. */
  boolean hasBytesPast(HttpAnswer answer) {
    return answer.end() < length;
  }
}
