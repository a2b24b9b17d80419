package io.kvs.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The answer a peer gave to one {@code POST /internal/message}: its status, whether the peer
 * closes the connection after it, and where its body lies in the bytes read so far. Only what
 * the peers' HTTP server sends is understood: a body sized by {@code Content-Length}, or none.
 *
 * @param status the status code
 * @param closes the answer said {@code Connection: close}
 * @param bodyStart index of the body's first byte
 * @param bodyLength the body's length in bytes
 * @param end index just past the body; less than the bytes read when the peer sent more
 */
record HttpAnswer(int status, boolean closes, int bodyStart, int bodyLength, int end) {
  /** Larger answers are not read (the connection is closed instead). */
  static final long MAX_BYTES = 64L << 20;

  /**
   * Parses the answer at the start of {@code bytes[0..length)}, which may hold only part of it.
   *
   * @return the answer once its head and its whole body have been read; null while incomplete
   * @throws IOException when the bytes are not an answer the transport takes: not HTTP, a
   *     chunked body, a bad {@code Content-Length}, or more than {@link #MAX_BYTES}
   */
  static HttpAnswer parse(byte[] bytes, int length) throws IOException {
    int headEnd = headEnd(bytes, length);
    if (headEnd < 0) {
      return incomplete(length);
    }
    String head = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1);
    int status = status(head);
    long bodyLength = 0;
    boolean closes = false;
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      if (name.equalsIgnoreCase("Content-Length")) {
        bodyLength = contentLength(value);
      } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
        throw new IOException("chunked answers are not expected");
      } else if (name.equalsIgnoreCase("Connection") && value.contains("close")) {
        closes = true;
      }
    }
    int bodyStart = headEnd + 4;
    if (length - bodyStart < bodyLength) {
      return incomplete(length);
    }
    return new HttpAnswer(status, closes, bodyStart, (int) bodyLength, bodyStart + (int) bodyLength);
  }

  /** Index of the blank line ending the head, or -1 while it has not been read. */
  private static int headEnd(byte[] bytes, int length) {
    for (int i = 3; i < length; i++) {
      if (bytes[i] == '\n' && bytes[i - 1] == '\r' && bytes[i - 2] == '\n' && bytes[i - 3] == '\r') {
        return i - 3;
      }
    }
    return -1;
  }

  private static int status(String head) throws IOException {
    if (!head.startsWith("HTTP/")) {
      throw new IOException("not an HTTP answer");
    }
    try {
      return Integer.parseInt(head.substring(9, 12));
    } catch (RuntimeException e) {
      throw new IOException("not an HTTP answer");
    }
  }

  private static long contentLength(String value) throws IOException {
    long length;
    try {
      length = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IOException("bad Content-Length: " + value);
    }
    if (length < 0) {
      throw new IOException("bad Content-Length: " + value);
    }
    if (length > MAX_BYTES) {
      throw new IOException("answer too large");
    }
    return length;
  }

  /** Null, meaning more bytes are needed; unless there are already too many. */
  private static HttpAnswer incomplete(int length) throws IOException {
    if (length > MAX_BYTES) {
      throw new IOException("answer too large");
    }
    return null;
  }
}
