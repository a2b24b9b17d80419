package io.kvs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes every key once before a run with GETs, so that the GETs find their keys. Each of a
 * few worker threads owns one keep-alive connection, opened again when the target changes or
 * the server closes it.
 */
final class Preloader {
  private static final int MAX_CONNECTIONS = 4;
  /** With the pause below, a node gets five seconds to become able to take writes. */
  private static final int MAX_ATTEMPTS = 100;
  private static final long RETRY_PAUSE_MS = 50;

  private final String pathPrefix;
  private final byte[] body;
  private final RawHttp.Response response = new RawHttp.Response();
  private final BlockingHttp.ResponseReader reader = new BlockingHttp.ResponseReader(8192);
  private Socket socket;
  private String socketTarget;
  private InputStream input;
  private OutputStream output;

  private Preloader(String pathPrefix, byte[] body) {
    this.pathPrefix = pathPrefix;
    this.body = body;
  }

  /**
   * Writes every key once, spread over the targets, four connections at
   * a time.
   *
   * @param targets the side's IP:PORT addresses; key i goes to target i modulo their count
   * @param pathPrefix the path prefix of the side's keys, e.g. {@code /kvs/}
   * @param keys the key names
   * @param value the JSON value every key gets
   * @throws IllegalStateException when a key could not be written, or on interrupt
   */
  static void preload(List<String> targets, String pathPrefix, String[] keys, byte[] value) {
    byte[] body = ("{\"value\":" + new String(value, StandardCharsets.UTF_8) + "}").getBytes(StandardCharsets.UTF_8);
    int threads = Math.min(MAX_CONNECTIONS, keys.length);
    List<Thread> workers = new ArrayList<>();
    RuntimeException[] failure = new RuntimeException[1];
    for (int t = 0; t < threads; t++) {
      int first = t;
      Thread worker = new Thread(() -> {
        try {
          new Preloader(pathPrefix, body).putEvery(targets, keys, first, threads);
        } catch (RuntimeException e) {
          synchronized (failure) {
            failure[0] = e;
          }
        }
      }, "bench-preload-" + t);
      worker.start();
      workers.add(worker);
    }
    joinAll(workers);
    if (failure[0] != null) {
      throw failure[0];
    }
  }

  private static void joinAll(List<Thread> workers) {
    for (Thread worker : workers) {
      try {
        worker.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while preloading", e);
      }
    }
  }

  /** Writes keys {@code first}, {@code first + stride}, ... and closes the connection. */
  private void putEvery(List<String> targets, String[] keys, int first, int stride) {
    try {
      for (int i = first; i < keys.length; i += stride) {
        String target = targets.get(i % targets.size());
        putWithRetries(target, RawHttp.request("PUT", pathPrefix + keys[i], target, body, body.length));
      }
    } finally {
      closeSocket();
    }
  }

  private void putWithRetries(String target, byte[] request) {
    String lastProblem = "";
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      try {
        int status = exchange(target, request);
        if (status >= 200 && status < 300) {
          return;
        }
        lastProblem = "status " + status;
      } catch (IOException | RuntimeException e) {
        lastProblem = e.toString();
        closeSocket();
      }
      Bench.sleep(RETRY_PAUSE_MS);
    }
    throw new IllegalStateException("cannot preload a key at " + target + ": " + lastProblem);
  }

  /** Sends {@code request} to {@code target} and returns the answer's status. */
  private int exchange(String target, byte[] request) throws IOException {
    if (socket == null || !target.equals(socketTarget)) {
      closeSocket();
      socket = BlockingHttp.connect(target);
      socketTarget = target;
      input = socket.getInputStream();
      output = socket.getOutputStream();
    }
    output.write(request);
    output.flush();
    reader.read(input, response);
    if (response.close) {
      closeSocket();
    }
    return response.status;
  }

  private void closeSocket() {
    BlockingHttp.closeQuietly(socket);
    socket = null;
    socketTarget = null;
  }
}
