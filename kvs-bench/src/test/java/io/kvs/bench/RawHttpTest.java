package io.kvs.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RawHttpTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static String body(RawHttp.Response response) {
    return new String(response.body, 0, response.bodyLength, StandardCharsets.ISO_8859_1);
  }

  @Test
  void requestHasHostTypeLengthAndBody() {
    byte[] body = bytes("{\"value\":1}xyz");
    String request = new String(RawHttp.request("PUT", "/kvs/k1", "127.0.0.1:80", body, 11),
        StandardCharsets.ISO_8859_1);
    assertThat(request).isEqualTo("PUT /kvs/k1 HTTP/1.1\r\nHost: 127.0.0.1:80\r\nContent-Type: application/json\r\n"
        + "Content-Length: 11\r\n\r\n{\"value\":1}");
  }

  @Test
  void contentLengthBodyIsCopiedAndConsumedCounted() {
    String head = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n";
    byte[] buf = bytes(head + "hello" + "HTTP/1.1 200 OK\r\n");
    RawHttp.Response response = new RawHttp.Response();

    assertThat(RawHttp.parse(buf, buf.length, response)).isTrue();
    assertThat(response.status).isEqualTo(201);
    assertThat(body(response)).isEqualTo("hello");
    assertThat(response.consumed).isEqualTo(head.length() + 5);
    assertThat(response.close).isFalse();
  }

  @Test
  void responseSplitAcrossReadsIsCompleteOnlyOnceEveryByteArrived() {
    byte[] whole = bytes("HTTP/1.1 200 OK\r\ncontent-length: 12\r\n\r\n{\"value\":42}");
    RawHttp.Response response = new RawHttp.Response();
    int headEnd = whole.length - 12;
    for (int len : new int[] {0, 5, 20, headEnd - 1, headEnd, whole.length - 1}) {
      assertThat(RawHttp.parse(whole, len, response)).as("after %d bytes", len).isFalse();
    }
    assertThat(RawHttp.parse(whole, whole.length, response)).isTrue();
    assertThat(body(response)).isEqualTo("{\"value\":42}");
  }

  @Test
  void connectionCloseIsNoticedInAnyCase() {
    byte[] buf = bytes("HTTP/1.1 503 Service Unavailable\r\nCONNECTION: Close\r\nContent-Length: 0\r\n\r\n");
    RawHttp.Response response = new RawHttp.Response();

    assertThat(RawHttp.parse(buf, buf.length, response)).isTrue();
    assertThat(response.status).isEqualTo(503);
    assertThat(response.close).isTrue();
    assertThat(response.bodyLength).isZero();
  }

  @Test
  void reusedResponseForgetsThePreviousClose() {
    RawHttp.Response response = new RawHttp.Response();
    byte[] closing = bytes("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    byte[] keepAlive = bytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    RawHttp.parse(closing, closing.length, response);

    assertThat(RawHttp.parse(keepAlive, keepAlive.length, response)).isTrue();
    assertThat(response.close).isFalse();
  }

  @Test
  void noContentLengthMeansAnEmptyBody() {
    byte[] buf = bytes("HTTP/1.1 204 No Content\r\n\r\n");
    RawHttp.Response response = new RawHttp.Response();

    assertThat(RawHttp.parse(buf, buf.length, response)).isTrue();
    assertThat(response.status).isEqualTo(204);
    assertThat(response.bodyLength).isZero();
  }

  @Test
  void chunkedBodyIsJoinedAndWaitsForTheLastChunk() {
    String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
    byte[] buf = bytes(head + "5\r\nhello\r\n1a\r\n" + " chunked world, 26 bytes!!" + "\r\n0\r\n\r\n");
    RawHttp.Response response = new RawHttp.Response();

    assertThat(RawHttp.parse(buf, buf.length - 3, response)).isFalse();
    assertThat(RawHttp.parse(buf, buf.length, response)).isTrue();
    assertThat(body(response)).isEqualTo("hello chunked world, 26 bytes!!");
    assertThat(response.consumed).isEqualTo(buf.length);
  }

  @Test
  void bodyLargerThanTheResponseBufferGrowsIt() {
    String value = "x".repeat(1000);
    byte[] buf = bytes("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + value);
    RawHttp.Response response = new RawHttp.Response();

    assertThat(RawHttp.parse(buf, buf.length, response)).isTrue();
    assertThat(body(response)).isEqualTo(value);
  }

  @Test
  void bytesThatAreNotAResponseAreRefused() {
    byte[] buf = bytes("SSH-2.0-OpenSSH\r\n\r\n");
    assertThatThrownBy(() -> RawHttp.parse(buf, buf.length, new RawHttp.Response()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("not an HTTP response: SSH-2.0");
  }
}
