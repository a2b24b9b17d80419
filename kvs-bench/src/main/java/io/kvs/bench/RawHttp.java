package io.kvs.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bench client's HTTP/1.1 on bytes: writes keep-alive requests and parses responses
 * incrementally from a buffer (Content-Length or chunked bodies), with no allocation beyond
 * the buffers it is given.
 */
final class RawHttp {
  private RawHttp() {}

  /**
   * A request's bytes: request line, Host, Content-Type, Content-Length, then the body.
   *
   * @param method the HTTP method, e.g. {@code PUT}
   * @param path the request target, e.g. {@code /kvs/k1}
   * @param host the {@code Host} header's value, IP:PORT
   * @param body the body's bytes, read from 0 to {@code bodyLength}
   * @param bodyLength how many bytes of {@code body} to send
   * @return the whole request, ready to write
   */
  static byte[] request(String method, String path, String host, byte[] body, int bodyLength) {
    String head = method + " " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nContent-Type: application/json\r\nContent-Length: " + bodyLength + "\r\n\r\n";
    byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = Arrays.copyOf(headBytes, headBytes.length + bodyLength);
    if (bodyLength > 0) {
      System.arraycopy(body, 0, request, headBytes.length, bodyLength);
    }
    return request;
  }

  /**
   * A parsed response; its body lies in {@link #body} from 0 to {@link #bodyLength}. Reused
   * from one response to the next, so its fields are meaningful only after {@link #parse}
   * returned true.
   */
  static final class Response {
    int status;
    boolean close;
    byte[] body = new byte[256];
    int bodyLength;
    /** Bytes of the buffer the response took (head and body). */
    int consumed;
    /** The head's Content-Length, -1 when absent. */
    long contentLength;
    /** The head said {@code Transfer-Encoding: chunked}. */
    boolean chunked;
  }

  /**
   * Parses one response from {@code buf[0..len)}.
   *
   * @param buf the bytes received so far, the response first
   * @param len how many bytes of {@code buf} were received
   * @param out where the response goes; reused, so that parsing allocates nothing per response
   * @return true when a whole response was there (filled into {@code out}); false when more
   *     bytes are needed
   * @throws IllegalStateException when the bytes are not an HTTP/1.1 response
   */
  static boolean parse(byte[] buf, int len, Response out) {
    int headEnd = indexOfHeadEnd(buf, len);
    if (headEnd < 0) {
      return false;
    }
    int status = statusCode(buf, len);
    parseHeaders(buf, headEnd, out);
    int bodyStart = headEnd + 4;
    if (out.chunked) {
      return parseChunked(buf, len, bodyStart, status, out);
    }
    long length = out.contentLength < 0 ? 0 : out.contentLength;
    if (len - bodyStart < length) {
      return false;
    }
    fill(out, status, buf, bodyStart, (int) length, bodyStart + (int) length);
    return true;
  }

  /** The status of a head that starts {@code "HTTP/1.1 200 "}. */
  private static int statusCode(byte[] buf, int len) {
    if (len < 12 || buf[0] != 'H' || buf[8] != ' ') {
      throw new IllegalStateException("not an HTTP response: "
          + new String(buf, 0, Math.min(len, 40), StandardCharsets.ISO_8859_1));
    }
    return (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
  }

  /** Reads Content-Length, Transfer-Encoding and Connection from the head into {@code out}. */
  private static void parseHeaders(byte[] buf, int headEnd, Response out) {
    out.contentLength = -1;
    out.chunked = false;
    out.close = false;
    int line = indexOf(buf, 0, headEnd, (byte) '\n') + 1;
    while (line < headEnd) {
      int eol = indexOf(buf, line, headEnd + 2, (byte) '\n');
      int end = eol > line && buf[eol - 1] == '\r' ? eol - 1 : eol;
      int colon = indexOf(buf, line, end, (byte) ':');
      if (colon > 0) {
        int value = colon + 1;
        while (value < end && buf[value] == ' ') {
          value++;
        }
        if (nameIs(buf, line, colon, "content-length")) {
          out.contentLength = parseLong(buf, value, end);
        } else if (nameIs(buf, line, colon, "transfer-encoding")) {
          out.chunked = containsIgnoreCase(buf, value, end, "chunked");
        } else if (nameIs(buf, line, colon, "connection")) {
          out.close = containsIgnoreCase(buf, value, end, "close");
        }
      }
      line = eol + 1;
    }
  }

  private static boolean parseChunked(byte[] buf, int len, int start, int status, Response out) {
    int bodyLength = 0;
    int p = start;
    while (true) {
      int eol = indexOf(buf, p, len, (byte) '\n');
      if (eol < 0) {
        return false;
      }
      int size = hex(buf, p, eol);
      p = eol + 1;
      if (size == 0) {
        // trailers (none expected), then an empty line
        int end = indexOf(buf, p, len, (byte) '\n');
        if (end < 0) {
          return false;
        }
        out.status = status;
        out.bodyLength = bodyLength;
        out.consumed = end + 1;
        return true;
      }
      if (len - p < size + 2) {
        return false;
      }
      ensure(out, bodyLength + size);
      System.arraycopy(buf, p, out.body, bodyLength, size);
      bodyLength += size;
      p += size + 2;
    }
  }

  private static void fill(Response out, int status, byte[] buf, int from, int length, int consumed) {
    ensure(out, length);
    System.arraycopy(buf, from, out.body, 0, length);
    out.status = status;
    out.bodyLength = length;
    out.consumed = consumed;
  }

  private static void ensure(Response out, int size) {
    if (out.body.length < size) {
      out.body = Arrays.copyOf(out.body, Math.max(size, out.body.length * 2));
    }
  }

  private static int indexOfHeadEnd(byte[] buf, int len) {
    for (int i = 3; i < len; i++) {
      if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
        return i - 3;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] buf, int from, int to, byte b) {
    for (int i = from; i < to; i++) {
      if (buf[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static boolean nameIs(byte[] buf, int from, int to, String name) {
    if (to - from != name.length()) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.toLowerCase((char) buf[from + i]) != name.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean containsIgnoreCase(byte[] buf, int from, int to, String word) {
    return new String(buf, from, to - from, StandardCharsets.ISO_8859_1).toLowerCase().contains(word);
  }

  private static long parseLong(byte[] buf, int from, int to) {
    long v = 0;
    for (int i = from; i < to && buf[i] >= '0' && buf[i] <= '9'; i++) {
      v = v * 10 + (buf[i] - '0');
    }
    return v;
  }

  private static int hex(byte[] buf, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      int c = Character.digit(buf[i], 16);
      if (c < 0) {
        break;
      }
      v = v * 16 + c;
    }
    return v;
  }
}
