package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.DurabilitySettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.net.http.HttpClient;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The idle timeout, the request head deadline and the connection limit bound what slow or
 * hostile clients can hold, while peers, whose keep-alive connections the timeout closes, go on
 * replicating.
 */
class ConnectionBoundsTest {
  private static final long IDLE_MS = 500;
  private static final String REQUEST = "GET /kvs/k HTTP/1.1\r\nHost: kvs\r\n\r\n";

  @TempDir
  Path dir;

  @Test
  void anIdleConnectionIsClosedAfterTheTimeout() throws IOException {
    try (TestCluster node = new TestCluster(1, 1, b -> b.idleTimeoutMs(IDLE_MS));
         Socket silent = connect(node); Socket keptAlive = connect(node)) {
      long start = System.nanoTime();
      send(keptAlive, REQUEST);
      assertThat(statusLine(keptAlive)).startsWith("HTTP/1.1 404");
      assertThat(closedWithin(silent, 5000)).isTrue();
      assertThat(closedWithin(keptAlive, 5000)).isTrue();
      assertThat(elapsedMs(start)).isBetween(IDLE_MS - 50, 4000L);
    }
  }

  /**
   * A byte of header every third of the idle timeout never lets the connection idle, so the
   * idle timeout alone would keep it open for as long as the header size limit allows; the
   * request head deadline cuts it about one timeout after the head began.
   */
  @Test
  void aHeaderTrickleIsCutAfterTheTimeout() throws Exception {
    try (TestCluster node = new TestCluster(1, 1, b -> b.idleTimeoutMs(IDLE_MS)); Socket socket = connect(node)) {
      long start = System.nanoTime();
      send(socket, "GET /kvs/k HTTP/1.1\r\nHost: kvs\r\nX-Slow: ");
      socket.setSoTimeout((int) (IDLE_MS / 3));
      boolean cut = false;
      while (!cut && elapsedMs(start) < 12 * IDLE_MS) {
        try {
          cut = socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
          send(socket, "a"); // still open: the next byte
        } catch (IOException e) {
          cut = true; // reset
        }
      }
      assertThat(cut).as("the trickling connection was closed").isTrue();
      assertThat(elapsedMs(start)).isBetween(IDLE_MS, 8 * IDLE_MS); // cut by the deadline, not at once
    }
  }

  @Test
  void beyondTheLimitAConnectionWaitsUntilAnotherCloses() throws IOException {
    try (TestCluster node = new TestCluster(1, 1, b -> b.maxConnections(2))) {
      List<Socket> open = new ArrayList<>();
      try (Socket third = new Socket()) {
        for (int i = 0; i < 2; i++) {
          open.add(connect(node));
          send(open.get(i), REQUEST);
          assertThat(statusLine(open.get(i))).startsWith("HTTP/1.1 404");
        }
        third.connect(open.get(0).getRemoteSocketAddress(), 2000); // the kernel's backlog takes it
        send(third, REQUEST);
        third.setSoTimeout(1000);
        assertThat(unansweredFor(third)).as("no answer while two connections are open").isTrue();
        open.get(0).close();
        third.setSoTimeout(5000);
        assertThat(statusLine(third)).startsWith("HTTP/1.1 404");
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }

  /**
   * Peers close idle connections after 15 s, and with a shorter server idle timeout the server
   * closes them first: every heartbeat then finds its connection closed. Writes that need the
   * peer's acknowledgement are still answered, and replicate.
   */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void peersReconnectAfterTheServerClosedTheirIdleConnections(boolean tls) throws InterruptedException {
    DurabilitySettings bothCopies = DurabilitySettings.defaults().withMinAckReplicas(2);
    TestCerts.Pair pair = tls ? TestCerts.selfSigned(dir, "peers", "ec", "IP:127.0.0.1") : null;
    HttpClient client = tls ? TestCerts.clientTrusting(pair.cert()) : HttpClient.newHttpClient();
    try (TestCluster cluster = new TestCluster(2, 1, b -> {
      b.idleTimeoutMs(200).durability(bothCopies);
      return tls ? b.tls(pair.cert(), pair.key()) : b;
    })) {
      for (int round = 0; round < 3; round++) {
        String path = "/kvs/k" + round;
        Http.Response put = Http.call(client, "PUT", tls ? cluster.httpsUrl(0, path) : cluster.url(0, path),
            "{\"value\": 1}", java.util.Map.of());
        assertThat(put.status()).isEqualTo(201);
        // long enough that the server closes every idle peer connection before the next write
        TimeUnit.MILLISECONDS.sleep(600);
        Http.await(Duration.ofSeconds(10), "node 1 has write " + round, () -> Http.call(client, "GET",
            tls ? cluster.httpsUrl(1, path) : cluster.url(1, path), null, java.util.Map.of()).status() == 200);
      }
    }
  }

  /**
   * The idle timeout counts silence while nothing is being handled: a request the node works on
   * for longer (here a write waiting 1 s for a replica that left) still gets its answer.
   */
  @Test
  void aRequestHandledForLongerThanTheTimeoutIsStillAnswered() {
    DurabilitySettings bothCopies = DurabilitySettings.defaults().withMinAckReplicas(2);
    try (TestCluster cluster = new TestCluster(2, 1, b -> b.idleTimeoutMs(200).durability(bothCopies))) {
      cluster.servers.get(1).close();
      long start = System.nanoTime();
      Http.Response put = Http.call("PUT", cluster.url(0, "/kvs/k"), "{\"value\": 1}");
      assertThat(put.status()).isEqualTo(503);
      assertThat(put.json()).isEqualTo(Json.error(
          "Too few replicas stored the write in time to acknowledge it; it may or may not take effect"));
      assertThat(elapsedMs(start)).isGreaterThan(800);
    }
  }

  private static Socket connect(TestCluster node) throws IOException {
    String[] hostPort = node.addresses.get(0).split(":");
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
    return socket;
  }

  private static void send(Socket socket, String text) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(text.getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  /** The status line of the next answer; reads the whole head and the body its Content-Length gives. */
  private static String statusLine(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed after: " + head.toString(StandardCharsets.US_ASCII));
      }
      head.write(b);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)").matcher(text);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return text.substring(0, text.indexOf("\r\n"));
  }

  private static boolean closedWithin(Socket socket, int timeoutMs) throws IOException {
    socket.setSoTimeout(timeoutMs);
    try {
      return socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private static boolean unansweredFor(Socket socket) throws IOException {
    try {
      socket.getInputStream().read(); // an answer, or the connection closed
      return false;
    } catch (SocketTimeoutException e) {
      return true;
    }
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
