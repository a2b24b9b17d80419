package io.kvs.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One closed-loop client session: picks the next operation, builds its request bytes, and
 * learns the {@code causal-metadata} of each response to pass it back on its next request,
 * as a real client of the contract does. Not thread-safe: one driver thread owns it.
 */
final class ClientSession {
  private static final byte[] VALUE_OPEN = "{\"value\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_AFTER_VALUE = ",\"causal-metadata\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] META_OPEN = "{\"causal-metadata\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF2 = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  final String target;
  private final byte[][] getHeads;
  private final byte[][] putHeads;
  private final byte[] value;
  private final double getRatio;
  private final boolean carryMetadata;
  private final SplittableRandom random;
  private byte[] metadata;
  private byte[] buffer = new byte[512];
  private int length;
  /** Responses by status while measuring; index 0 counts I/O failures. */
  final long[] statuses = new long[600];

  /**
   * @param heads per key, the request head up to and including {@code "Content-Length: "},
   *     for GET ([0]) and PUT ([1])
   */
  ClientSession(String target, byte[][][] heads, byte[] value, double getRatio, boolean carryMetadata, long seed) {
    this.target = target;
    this.getHeads = heads[0];
    this.putHeads = heads[1];
    this.value = value;
    this.getRatio = getRatio;
    this.carryMetadata = carryMetadata;
    this.random = new SplittableRandom(seed);
  }

  /** Builds the next request; its bytes are {@link #buffer()} up to {@link #length()}. */
  void next() {
    int key = random.nextInt(getHeads.length);
    boolean get = getRatio >= 1 || getRatio > 0 && random.nextDouble() < getRatio;
    length = 0;
    if (get) {
      byte[] head = getHeads[key];
      int bodyLength = metadata == null ? 0 : META_OPEN.length + metadata.length + 1;
      append(head);
      appendInt(bodyLength);
      append(CRLF2);
      if (metadata != null) {
        append(META_OPEN);
        append(metadata);
        appendByte('}');
      }
    } else {
      byte[] head = putHeads[key];
      int bodyLength = VALUE_OPEN.length + value.length + 1
          + (metadata == null ? 0 : META_AFTER_VALUE.length + metadata.length);
      append(head);
      appendInt(bodyLength);
      append(CRLF2);
      append(VALUE_OPEN);
      append(value);
      if (metadata != null) {
        append(META_AFTER_VALUE);
        append(metadata);
      }
      appendByte('}');
    }
  }

  byte[] buffer() {
    return buffer;
  }

  int length() {
    return length;
  }

  /** Takes in a response: remembers its metadata and, when {@code measuring}, its status. */
  void onResponse(RawHttp.Response response, boolean measuring) {
    if (measuring) {
      statuses[response.status >= 0 && response.status < statuses.length ? response.status : 0]++;
    }
    if (carryMetadata && response.status >= 200 && response.status < 500) {
      byte[] learned = CausalMetadata.extract(response.body, response.bodyLength);
      if (learned != null) {
        metadata = learned;
      }
    }
  }

  /** Counts an I/O failure (the connection is then re-opened). */
  void onFailure(boolean measuring) {
    if (measuring) {
      statuses[0]++;
    }
  }

  private void append(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, buffer, length, bytes.length);
    length += bytes.length;
  }

  private void appendByte(char c) {
    ensure(1);
    buffer[length++] = (byte) c;
  }

  private void appendInt(int v) {
    ensure(11);
    if (v == 0) {
      buffer[length++] = '0';
      return;
    }
    int start = length;
    while (v > 0) {
      buffer[length++] = (byte) ('0' + v % 10);
      v /= 10;
    }
    for (int i = start, j = length - 1; i < j; i++, j--) {
      byte t = buffer[i];
      buffer[i] = buffer[j];
      buffer[j] = t;
    }
  }

  private void ensure(int more) {
    if (length + more > buffer.length) {
      buffer = Arrays.copyOf(buffer, Math.max(length + more, buffer.length * 2));
    }
  }

  /** Request heads for every key: [0] GET, [1] PUT, up to {@code "Content-Length: "}. */
  static byte[][][] heads(String pathPrefix, String host, String[] keys) {
    byte[][][] heads = new byte[2][keys.length][];
    for (int i = 0; i < keys.length; i++) {
      heads[0][i] = head("GET", pathPrefix + keys[i], host);
      heads[1][i] = head("PUT", pathPrefix + keys[i], host);
    }
    return heads;
  }

  private static byte[] head(String method, String path, String host) {
    return (method + " " + path + " HTTP/1.1\r\nHost: " + host
        + "\r\nContent-Type: application/json\r\nContent-Length: ").getBytes(StandardCharsets.ISO_8859_1);
  }
}
