package io.kvs.testkit.e2e;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded bad requests of every kind a client can send: broken paths and percent-encodings,
 * invalid UTF-8, wrong methods, unknown routes, bodies that are not JSON or have wrong types,
 * bad causal metadata, view and shard operations that must be refused, malformed headers and
 * framing, and node-to-node requests without a valid sender. None of them may change the store:
 * writes always carry an invalid key or body, view changes an address that is invalid or not in
 * the view, reshards a count that cannot be installed. Some valid reads are mixed in. (HEAD is
 * left out: its answer has a length but no body, which this client does not special-case.)
 */
final class MalformedRequests {
  /** One request and the family it was drawn from (for the report). */
  record Drawn(String family, byte[] bytes) {
    /** Whether the server cannot tell where this request ends, so it closes the connection after it. */
    boolean breaksFraming() {
      return family.equals("malformed framing") || family.equals("malformed header");
    }
  }

  private static final List<String> METHODS = List.of("GET", "PUT", "DELETE", "POST", "PATCH",
      "OPTIONS", "TRACE", "BREW", "get", "PUT ", "");
  private static final List<String> ROUTES = List.of("/kvs/", "/kvs", "/view", "/shard/ids", "/shard/node-shard-id",
      "/shard/members/", "/shard/key-count/", "/shard/add-member/", "/shard/reshard", "/internal/message",
      "/health", "/ready", "/status", "/status/node", "/ui", "/", "/metrics", "/nope", "//kvs//x", "/kvs/a/b");
  private static final List<String> BAD_BODIES = List.of("", "{", "}", "[]", "null", "42", "\"value\"",
      "{\"value\":1,}", "{\"value\":1}{}", "{\"value\":1,\"value\":2}", "{\"causal-metadata\":null}",
      "{\"value\":null,\"causal-metadata\":null}", "{\"value\":1,\"causal-metadata\":5}",
      "{\"value\":1,\"causal-metadata\":\"x\"}", "{\"value\":1,\"causal-metadata\":{\"epoch\":\"a\"}}",
      "{\"value\":1,\"causal-metadata\":{\"epoch\":1,\"clocks\":7}}",
      "{\"value\":1,\"causal-metadata\":{\"epoch\":-1,\"clocks\":{\"x\":{\"y\":\"z\"}}}}",
      "{\"value\":1,\"causal-metadata\":[1,2]}", "{'value':1}", "{\"value\":01}", "{\"value\":NaN}",
      "{\"value\":\"\\ud800\"");
  private static final List<String> BAD_ADDRESSES = List.of("\"nonsense\"", "\"1.2.3.4\"", "\"1.2.3.4:99999\"",
      "\"::::\"", "17", "null", "[\"127.0.0.1:1\"]", "{}", "\"127.0.0.1:-1\"", "\" 127.0.0.1:80\"");
  private static final List<String> BAD_SHARD_COUNTS = List.of("0", "-1", "4", "100", "\"2\"", "2.5", "null",
      "true", "[2]", "99999999999999999999");
  private static final List<String> BAD_IDS = List.of("-1", "abc", "7", "99999999999999999999", "%FF", "1.5",
      "0x1", "", "%00", "%C3%28");

  private final SplittableRandom random;

  MalformedRequests(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** The next request. */
  Drawn next() {
    return switch (random.nextInt(10)) {
      case 0 -> new Drawn("bad key path", request(pick(List.of("GET", "PUT", "DELETE")), "/kvs/" + badKey(),
          pick(BAD_BODIES) + (random.nextBoolean() ? "" : "{\"value\":1,\"causal-metadata\":null}")));
      case 1 -> new Drawn("bad write body", request(pick(List.of("PUT", "DELETE")), "/kvs/fuzz" + random.nextInt(100),
          pick(BAD_BODIES)));
      case 2 -> new Drawn("wrong method or route", request(pick(METHODS), pick(ROUTES) + suffix(), pick(BAD_BODIES)));
      case 3 -> new Drawn("view change refused", random.nextInt(4) == 0
          ? request("DELETE", "/view", "{\"socket-address\":\"10.255.0." + random.nextInt(250) + ":1\"}", true)
          : request(pick(List.of("PUT", "DELETE")), "/view", "{\"socket-address\":" + pick(BAD_ADDRESSES) + "}", true));
      case 4 -> new Drawn("shard operation refused", shardRequest());
      case 5 -> new Drawn("malformed framing", framing());
      case 6 -> new Drawn("malformed header", header());
      case 7 -> new Drawn("internal without a sender", internal());
      case 8 -> new Drawn("invalid UTF-8 body", raw("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n",
          concat(bytes("{\"value\":\""), continuationByte(), randomBytes(random.nextInt(8), 0x80), bytes("\"}"))));
      default -> new Drawn("valid read", request("GET", pick(List.of("/view", "/shard/ids", "/shard/members/0",
          "/shard/key-count/1", "/kvs/seed" + random.nextInt(20), "/kvs/absent" + random.nextInt(1000), "/health")), ""));
    };
  }

  private byte[] shardRequest() {
    return switch (random.nextInt(4)) {
      case 0 -> request("GET", "/shard/members/" + pick(BAD_IDS), "");
      case 1 -> request("GET", "/shard/key-count/" + pick(BAD_IDS), "");
      case 2 -> request("PUT", "/shard/add-member/" + (random.nextBoolean() ? pick(BAD_IDS) : "0"),
          "{\"socket-address\":" + pick(BAD_ADDRESSES) + "}");
      default -> request("PUT", "/shard/reshard", random.nextInt(5) == 0 ? pick(BAD_BODIES)
          : "{\"shard-count\":" + pick(BAD_SHARD_COUNTS) + "}");
    };
  }

  private byte[] framing() {
    return switch (random.nextInt(8)) {
      case 0 -> bytes("GARBAGE" + random.nextInt() + "\r\n\r\n");
      case 1 -> bytes("GET /kvs/a b c HTTP/1.1\r\nHost: x\r\n\r\n");
      case 2 -> bytes("GET /view HTTP/9.9\r\nHost: x\r\n\r\n");
      case 3 -> bytes("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n");
      case 4 -> bytes("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\n12345");
      case 5 -> bytes("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n");
      case 6 -> bytes("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nContent-Length: -4\r\n\r\n");
      default -> bytes("GET /view HTTP/1.1\r\n\r\n"); // no Host
    };
  }

  private byte[] header() {
    return switch (random.nextInt(4)) {
      case 0 -> raw("GET /view HTTP/1.1\r\nHost: x\r\nX-Fuzz: " + "a".repeat(9_000 + random.nextInt(20_000)) + "\r\n",
          new byte[0]);
      case 1 -> raw("GET /view HTTP/1.1\r\nHost: x\r\n", concat(bytes("X-Bad: "), randomBytes(4, 0), bytes("\r\n")),
          true);
      case 2 -> bytes("GET /view HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n");
      default -> bytes("PUT /kvs/fuzz HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
          + (2_000_000 + random.nextInt(1000)) + "\r\nExpect: 100-continue\r\n\r\n");
    };
  }

  private byte[] internal() {
    String from = random.nextBoolean() ? "" : "X-Kvs-From: " + pick(List.of("nonsense", "1.2.3.4", "", "a:b")) + "\r\n";
    byte[] body = randomBytes(random.nextInt(64), 0);
    return raw("POST /internal/message HTTP/1.1\r\nHost: x\r\n" + from, body);
  }

  private String badKey() {
    return switch (random.nextInt(6)) {
      case 0 -> "k".repeat(51 + random.nextInt(200));
      case 1 -> "%" + Integer.toHexString(0x80 + random.nextInt(0x80)).toUpperCase();
      case 2 -> pick(List.of("%C3%28", "%FF%FE", "%E2%82", "%F0%28%8C%BC", "%ED%A0%80", "%C0%AF"));
      case 3 -> pick(List.of("%", "%Z", "%ZZ", "a%2", "%%", "%00"));
      case 4 -> "";
      // a continuation byte cannot start a UTF-8 sequence, whatever follows it
      default -> "%" + "%02X".formatted(0x80 + random.nextInt(0x40)) + "%" + "%02X".formatted(random.nextInt(256));
    };
  }

  private String suffix() {
    return random.nextBoolean() ? "" : pick(BAD_IDS);
  }

  private byte[] request(String method, String path, String body) {
    return request(method, path, body, false);
  }

  private byte[] request(String method, String path, String body, boolean json) {
    String type = json || random.nextBoolean() ? "Content-Type: application/json\r\n" : "";
    return raw(method + " " + path + " HTTP/1.1\r\nHost: x\r\n" + type, bytes(body));
  }

  /** Headers so far, Content-Length of {@code body}, the blank line, the body. */
  private static byte[] raw(String head, byte[] body) {
    return concat(bytes(head + "Content-Length: " + body.length + "\r\n\r\n"), body);
  }

  /** Headers so far plus a raw header line of arbitrary bytes, then the blank line. */
  private static byte[] raw(String head, byte[] extraHeaderLine, boolean noBody) {
    return concat(bytes(head), extraHeaderLine, bytes("\r\n"));
  }

  /** A byte that cannot start a UTF-8 sequence, so the body is invalid UTF-8 whatever follows. */
  private byte[] continuationByte() {
    return new byte[] {(byte) (0x80 + random.nextInt(0x40))};
  }

  private byte[] randomBytes(int n, int floor) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (floor + random.nextInt(256 - floor));
    }
    return b;
  }

  private <T> T pick(List<T> list) {
    return list.get(random.nextInt(list.size()));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
