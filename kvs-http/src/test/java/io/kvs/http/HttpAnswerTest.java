package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Parsing a peer's answer from the bytes read so far. */
class HttpAnswerTest {
  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static HttpAnswer parse(String text) throws IOException {
    byte[] b = bytes(text);
    return HttpAnswer.parse(b, b.length);
  }

  @Test
  void completeAnswerWithBody() throws IOException {
    String text = "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello";

    HttpAnswer answer = parse(text);

    assertThat(answer).isEqualTo(new HttpAnswer(200, false, text.indexOf("hello"), 5, text.length()));
    assertThat(new String(bytes(text), answer.bodyStart(), answer.bodyLength(), StandardCharsets.ISO_8859_1))
        .isEqualTo("hello");
  }

  @Test
  void headSplitAcrossReadsIsIncompleteUntilItsBlankLine() throws IOException {
    byte[] b = bytes("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n");
    // the buffer holds more than was read: only b[0..length) counts
    for (int length = 0; length < b.length; length++) {
      assertThat(HttpAnswer.parse(b, length)).as("after %d bytes", length).isNull();
    }
    assertThat(HttpAnswer.parse(b, b.length)).isEqualTo(new HttpAnswer(204, false, b.length, 0, b.length));
  }

  @Test
  void bodyNotYetReadIsIncomplete() throws IOException {
    String head = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    byte[] b = Arrays.copyOf(bytes(head + "0123456789"), 64);

    assertThat(HttpAnswer.parse(b, head.length())).isNull();
    assertThat(HttpAnswer.parse(b, head.length() + 9)).isNull();
    assertThat(HttpAnswer.parse(b, head.length() + 10)).isNotNull();
  }

  @Test
  void contentLengthZero() throws IOException {
    String text = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";

    assertThat(parse(text)).isEqualTo(new HttpAnswer(204, false, text.length(), 0, text.length()));
  }

  @Test
  void noContentLengthMeansNoBody() throws IOException {
    assertThat(parse("HTTP/1.1 204 No Content\r\n\r\n").bodyLength()).isZero();
  }

  @Test
  void connectionCloseIsNoticedWhateverItsCase() throws IOException {
    assertThat(parse("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n").closes()).isTrue();
    assertThat(parse("HTTP/1.1 204 No Content\r\nconnection: Keep-Alive, Close\r\n\r\n").closes()).isTrue();
    assertThat(parse("HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\n\r\n").closes()).isFalse();
  }

  @Test
  void headerNamesAndValuesAreTrimmedAndCaseInsensitive() throws IOException {
    HttpAnswer answer = parse("HTTP/1.1 200 OK\r\ncontent-length:   3  \r\n\r\nabc");

    assertThat(answer.bodyLength()).isEqualTo(3);
  }

  @Test
  void chunkedAnswerIsRejected() {
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
        .isInstanceOf(IOException.class).hasMessageContaining("chunked");
  }

  @Test
  void announcedBodyTooLargeIsRejected() {
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: " + (HttpAnswer.MAX_BYTES + 1) + "\r\n\r\n"))
        .isInstanceOf(IOException.class).hasMessageContaining("too large");
  }

  @Test
  void headTooLargeIsRejected() throws IOException {
    byte[] b = new byte[(int) HttpAnswer.MAX_BYTES + 2];
    Arrays.fill(b, (byte) 'x');
    System.arraycopy(bytes("HTTP/1.1 200 OK\r\n"), 0, b, 0, 17);

    assertThat(HttpAnswer.parse(b, (int) HttpAnswer.MAX_BYTES)).isNull();
    assertThatThrownBy(() -> HttpAnswer.parse(b, b.length))
        .isInstanceOf(IOException.class).hasMessageContaining("too large");
  }

  @Test
  void badContentLengthIsRejected() {
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: five\r\n\r\n"))
        .isInstanceOf(IOException.class).hasMessageContaining("Content-Length");
    assertThatThrownBy(() -> parse("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"))
        .isInstanceOf(IOException.class).hasMessageContaining("Content-Length");
  }

  @Test
  void bytesPastTheAnswerAreLeftForTheCallerToSee() throws IOException {
    String first = "HTTP/1.1 204 No Content\r\n\r\n";
    String text = first + "HTTP/1.1 204 No Content\r\n\r\n";

    HttpAnswer answer = parse(text);

    assertThat(answer.end()).isEqualTo(first.length()).isLessThan(text.length());
  }

  @Test
  void nonHttpGarbageIsRejected() {
    assertThatThrownBy(() -> parse("SSH-2.0-OpenSSH_9.2\r\n\r\n")).isInstanceOf(IOException.class)
        .hasMessage("not an HTTP answer");
    assertThatThrownBy(() -> parse("HTTP/1.1 abc OK\r\n\r\n")).isInstanceOf(IOException.class)
        .hasMessage("not an HTTP answer");
    assertThatThrownBy(() -> parse("HI\r\n\r\n")).isInstanceOf(IOException.class)
        .hasMessage("not an HTTP answer");
    assertThatThrownBy(() -> parse("XXXXXXXXX200 OK\r\n\r\n")).isInstanceOf(IOException.class)
        .hasMessage("not an HTTP answer");
  }
}
