package io.kvs.testkit.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that sends bytes exactly as given, however malformed, and
 * reads one answer (Content-Length, chunked, or until the server closes). It reconnects when
 * the server closed the connection after an answer.
 */
final class RawConnection implements AutoCloseable {
  /** An answer: status, body, and whether the server said it closes the connection. */
  record Answer(int status, byte[] body, boolean closes) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static final int READ_TIMEOUT_MS = 10_000;
  private final String host;
  private final int port;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  RawConnection(String address) {
    int colon = address.lastIndexOf(':');
    this.host = address.substring(0, colon);
    this.port = Integer.parseInt(address.substring(colon + 1));
  }

  /** Sends {@code request} and reads its answer. */
  Answer exchange(byte[] request) throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.connect(new InetSocketAddress(host, port), READ_TIMEOUT_MS);
      socket.setSoTimeout(READ_TIMEOUT_MS);
      socket.setTcpNoDelay(true);
      in = new java.io.BufferedInputStream(socket.getInputStream(), 16_384);
      out = socket.getOutputStream();
    }
    out.write(request);
    out.flush();
    Answer answer = read();
    if (answer.closes()) {
      close();
    }
    return answer;
  }

  private Answer read() throws IOException {
    String statusLine = line();
    while (statusLine != null && statusLine.isEmpty()) {
      statusLine = line(); // a stray line end before an answer is tolerated, as HTTP clients do
    }
    if (statusLine == null) {
      throw new IOException("the server closed the connection without an answer");
    }
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/") || !parts[1].matches("\\d{3}")) {
      throw new IOException("not an HTTP status line: '" + statusLine + "'");
    }
    int status = Integer.parseInt(parts[1]);
    long length = -1;
    boolean chunked = false;
    boolean closes = false;
    for (String h = line(); h != null && !h.isEmpty(); h = line()) {
      String lower = h.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closes = true;
      }
    }
    byte[] body = chunked ? chunkedBody() : length >= 0 ? in.readNBytes((int) length) : in.readAllBytes();
    return new Answer(status, body, closes || (!chunked && length < 0));
  }

  private byte[] chunkedBody() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
      body.write(in.readNBytes(size));
      line();
    }
    line();
    return body.toByteArray();
  }

  /** One CRLF-terminated line without its end, or null at end of stream. */
  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(64);
    for (int b = in.read(); b != -1; b = in.read()) {
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
    return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing either way
      }
      socket = null;
    }
  }
}
