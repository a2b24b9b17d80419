package io.kvs.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Finds the {@code causal-metadata} a session must pass back, in a response body's bytes. A
 * scan, not a parse: the store's responses are trusted JSON, and the client must not spend
 * the CPU it is measuring on building trees.
 */
final class CausalMetadata {
  private static final byte[] FIELD = "\"causal-metadata\"".getBytes(StandardCharsets.US_ASCII);

  private CausalMetadata() {}

  /**
   * The raw JSON of top-level-ish field {@code "causal-metadata"} in {@code body}.
   *
   * @param body a JSON document's bytes
   * @param length how many bytes of {@code body} hold the document
   * @return a copy of the field's value bytes, or null when the field is absent or JSON null
   */
  static byte[] extract(byte[] body, int length) {
    int at = find(body, length, FIELD);
    if (at < 0) {
      return null;
    }
    int p = at + FIELD.length;
    while (p < length && (body[p] == ' ' || body[p] == ':' || body[p] == '\n' || body[p] == '\r' || body[p] == '\t')) {
      p++;
    }
    if (p >= length || body[p] == 'n') {
      return null;
    }
    int end = skipValue(body, p, length);
    return Arrays.copyOfRange(body, p, end);
  }

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
