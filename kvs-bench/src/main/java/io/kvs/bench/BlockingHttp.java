package io.kvs.bench;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * Blocking sockets to the bench's targets: opening one with the bench's timeouts, and reading
 * whole responses from it. Shared by the blocking driver, the preloader and the memory bench.
 */
final class BlockingHttp {
  static final int CONNECT_TIMEOUT_MS = 2000;
  /** Longer than any sane answer, so that a hung server fails the session rather than the run. */
  static final int READ_TIMEOUT_MS = 30_000;

  private BlockingHttp() {}

  /** The socket address of {@code target}, written IP:PORT or HOST:PORT. */
  static InetSocketAddress address(String target) {
    int colon = target.lastIndexOf(':');
    return new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
  }

  /**
   * Opens a connection to {@code target}, Nagle off (the requests are small and each waits
   * for its answer).
   *
   * @param target IP:PORT
   * @return the connected socket, with the read timeout set
   * @throws IOException when the connection cannot be made in {@link #CONNECT_TIMEOUT_MS}
   */
  static Socket connect(String target) throws IOException {
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(address(target), CONNECT_TIMEOUT_MS);
    socket.setSoTimeout(READ_TIMEOUT_MS);
    return socket;
  }

  /** Closes {@code closeable} if there is one; an error closing it is of no use to anyone. */
  static void closeQuietly(Closeable closeable) {
    if (closeable != null) {
      try {
        closeable.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** Reads whole responses from a blocking stream, into a buffer it keeps and grows as needed. */
  static final class ResponseReader {
    private byte[] buffer;

    ResponseReader(int initialBytes) {
      buffer = new byte[initialBytes];
    }

    /**
     * Reads until one whole response has arrived, and parses it into {@code response}.
     *
     * @throws IOException when the stream fails or ends before the response is whole
     */
    void read(InputStream input, RawHttp.Response response) throws IOException {
      int length = 0;
      while (!RawHttp.parse(buffer, length, response)) {
        if (length == buffer.length) {
          buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = input.read(buffer, length, buffer.length - length);
        if (n < 0) {
          throw new IOException("connection closed by the server");
        }
        length += n;
      }
    }
  }
}
