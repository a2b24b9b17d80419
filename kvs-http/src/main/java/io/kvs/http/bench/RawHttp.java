package io.kvs.http.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The bench client's HTTP/1.1 on bytes: writes keep-alive requests and parses responses
 * incrementally from a buffer (Content-Length or chunked bodies), with no allocation beyond
 * the buffers it is given.
 */
final class RawHttp {
  private RawHttp() {}

  /** A request's bytes: request line, Host, Content-Type, Content-Length, then the body. */
  static byte[] request(String method, String path, String host, byte[] body, int bodyLength) {
    String head = method + " " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nContent-Type: application/json\r\nContent-Length: " + bodyLength + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] out = Arrays.copyOf(h, h.length + bodyLength);
    if (bodyLength > 0) {
      System.arraycopy(body, 0, out, h.length, bodyLength);
    }
    return out;
  }

  /** A parsed response; its body lies in {@link #body} from 0 to {@link #bodyLength}. */
  static final class Response {
    int status;
    boolean close;
    byte[] body = new byte[256];
    int bodyLength;
    /** Bytes of the buffer the response took (head and body). */
    int consumed;
  }

  /**
   * Parses one response from {@code buf[0..len)}.
   *
   * @return true when a whole response was there (filled into {@code out}); false when more
   *     bytes are needed
   * @throws IllegalStateException when the bytes are not an HTTP/1.1 response
   */
  static boolean parse(byte[] buf, int len, Response out) {
    int headEnd = indexOfHeadEnd(buf, len);
    if (headEnd < 0) {
      return false;
    }
    // "HTTP/1.1 200 ..."
    if (len < 12 || buf[0] != 'H' || buf[8] != ' ') {
      throw new IllegalStateException("not an HTTP response: "
          + new String(buf, 0, Math.min(len, 40), StandardCharsets.ISO_8859_1));
    }
    int status = (buf[9] - '0') * 100 + (buf[10] - '0') * 10 + (buf[11] - '0');
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    int line = indexOf(buf, 0, headEnd, (byte) '\n') + 1;
    while (line < headEnd) {
      int eol = indexOf(buf, line, headEnd + 2, (byte) '\n');
      int end = eol > line && buf[eol - 1] == '\r' ? eol - 1 : eol;
      int colon = indexOf(buf, line, end, (byte) ':');
      if (colon > 0) {
        int v = colon + 1;
        while (v < end && buf[v] == ' ') {
          v++;
        }
        if (nameIs(buf, line, colon, "content-length")) {
          contentLength = parseLong(buf, v, end);
        } else if (nameIs(buf, line, colon, "transfer-encoding")) {
          chunked = containsIgnoreCase(buf, v, end, "chunked");
        } else if (nameIs(buf, line, colon, "connection")) {
          close = containsIgnoreCase(buf, v, end, "close");
        }
      }
      line = eol + 1;
    }
    int bodyStart = headEnd + 4;
    if (chunked) {
      return parseChunked(buf, len, bodyStart, status, close, out);
    }
    long length = contentLength < 0 ? 0 : contentLength;
    if (len - bodyStart < length) {
      return false;
    }
    fill(out, status, close, buf, bodyStart, (int) length, bodyStart + (int) length);
    return true;
  }

  private static boolean parseChunked(byte[] buf, int len, int start, int status, boolean close, Response out) {
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
        out.close = close;
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

  private static void fill(Response out, int status, boolean close, byte[] buf, int from, int length, int consumed) {
    ensure(out, length);
    System.arraycopy(buf, from, out.body, 0, length);
    out.status = status;
    out.close = close;
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

  /**
   * The raw JSON of top-level-ish field {@code "causal-metadata"} in {@code body}, or null when
   * absent or JSON null. A scan, not a parse: the store's responses are trusted JSON.
   */
  static byte[] causalMetadata(byte[] body, int length) {
    int at = find(body, length, META_FIELD);
    if (at < 0) {
      return null;
    }
    int p = at + META_FIELD.length;
    while (p < length && (body[p] == ' ' || body[p] == ':' || body[p] == '\n' || body[p] == '\r' || body[p] == '\t')) {
      p++;
    }
    if (p >= length || body[p] == 'n') {
      return null;
    }
    int end = skipValue(body, p, length);
    return Arrays.copyOfRange(body, p, end);
  }

  private static final byte[] META_FIELD = "\"causal-metadata\"".getBytes(StandardCharsets.US_ASCII);

  private static int find(byte[] hay, int length, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** The index just past the JSON value starting at {@code p}. */
  private static int skipValue(byte[] b, int p, int length) {
    if (b[p] == '"') {
      return skipString(b, p, length);
    }
    if (b[p] != '{' && b[p] != '[') {
      int q = p;
      while (q < length && b[q] != ',' && b[q] != '}' && b[q] != ']') {
        q++;
      }
      return q;
    }
    int depth = 0;
    int q = p;
    while (q < length) {
      byte c = b[q];
      if (c == '"') {
        q = skipString(b, q, length);
        continue;
      }
      if (c == '{' || c == '[') {
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (depth == 0) {
          return q + 1;
        }
      }
      q++;
    }
    return length;
  }

  private static int skipString(byte[] b, int p, int length) {
    int q = p + 1;
    while (q < length && b[q] != '"') {
      q += b[q] == '\\' ? 2 : 1;
    }
    return Math.min(q + 1, length);
  }
}
