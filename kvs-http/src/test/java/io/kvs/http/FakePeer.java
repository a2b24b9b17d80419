package io.kvs.http;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The receiving side of {@link HttpTransport} for tests, under the test's control: a loopback
 * server that reads {@code POST /internal/message} requests, records them, and answers each as
 * its {@link Answering} says (or not at all).
 */
final class FakePeer implements AutoCloseable {
  /** One request as received: on which connection (0, 1, ...), its index there, its headers and frames. */
  record Request(int connection, int index, String requestLine, Map<String, String> headers, List<byte[]> frames) {}

  /** How the peer answers a request. */
  @FunctionalInterface
  interface Answering {
    /** Writes the answer, if any, to {@code out}; false to close the connection afterwards. */
    boolean answer(Request request, OutputStream out) throws IOException, InterruptedException;
  }

  /** 204, keeping the connection open. */
  static final Answering NO_CONTENT = (request, out) -> {
    out.write("HTTP/1.1 204 No Content\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return true;
  };

  private final ServerSocket server;
  private final Answering answering;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger finishedConnections = new AtomicInteger();

  /** Listens on {@code port} (0 for any free one). */
  FakePeer(int port, Answering answering) {
    this.answering = answering;
    try {
      server = new ServerSocket();
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    daemon("fake-peer-accept", this::acceptLoop).start();
  }

  FakePeer(Answering answering) {
    this(0, answering);
  }

  String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Every request received so far, in the order they were read. */
  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Every frame received so far, request after request. */
  List<String> frames() {
    List<String> all = new ArrayList<>();
    requests.forEach(r -> all.addAll(texts(r.frames())));
    return all;
  }

  int connections() {
    return connections.get();
  }

  /** Connections whose handling ended: closed by the transport, or by this peer. */
  int finishedConnections() {
    return finishedConnections.get();
  }

  static List<String> texts(List<byte[]> frames) {
    return frames.stream().map(f -> new String(f, StandardCharsets.UTF_8)).toList();
  }

  @Override
  public void close() {
    try {
      server.close();
      for (Socket s : sockets) {
        s.close();
      }
    } catch (IOException e) {
      // closing anyway
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        sockets.add(socket);
        int connection = connections.getAndIncrement();
        daemon("fake-peer-" + connection, () -> serve(socket, connection)).start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket, int connection) {
    try (socket) {
      InputStream in = new BufferedInputStream(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (int index = 0; ; index++) {
        Request request = readRequest(in, connection, index);
        if (request == null) {
          return;
        }
        requests.add(request);
        boolean keepOpen = answering.answer(request, out);
        out.flush();
        if (!keepOpen) {
          return;
        }
      }
    } catch (IOException e) {
      // the transport closed the connection
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      finishedConnections.incrementAndGet();
    }
  }

  /** The next request on a connection; null when the transport closed it instead. */
  private static Request readRequest(InputStream in, int connection, int index) throws IOException {
    String requestLine = readLine(in);
    if (requestLine == null) {
      return null;
    }
    Map<String, String> headers = new HashMap<>();
    for (String line = readLine(in); line != null && !line.isEmpty(); line = readLine(in)) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Request(connection, index, requestLine, headers, FrameBatch.decode(body));
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) {
        return null;
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }
}
