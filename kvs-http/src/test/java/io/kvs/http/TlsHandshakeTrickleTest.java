package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TLS client that trickles its handshake one byte at a time, each byte inside the idle
 * timeout, is cut by the request head deadline like a plaintext header trickle: before a TLS
 * handshake ends, the HTTP parser under it has not started, so a deadline that looked only at
 * the parser let such a client hold its connection for as long as it kept sending.
 */
class TlsHandshakeTrickleTest {
  private static final long IDLE_MS = 500;

  @TempDir
  Path dir;

  @Test
  void aHandshakeTrickleIsCutAfterTheTimeout() throws Exception {
    TestCerts.Pair pair = TestCerts.selfSigned(dir, "node", "ec", "IP:127.0.0.1");
    try (TestCluster node = new TestCluster(1, 1, b -> b.idleTimeoutMs(IDLE_MS).tls(pair.cert(), pair.key()));
         Socket socket = connect(node.addresses.get(0))) {
      byte[] hello = clientHello();
      long start = System.nanoTime();
      socket.setSoTimeout((int) (IDLE_MS / 3));
      boolean cut = false;
      int sent = 0;
      // The hello is hundreds of bytes: sent a byte per third of the timeout, it would take a minute.
      while (!cut && sent < hello.length && elapsedMs(start) < 12 * IDLE_MS) {
        try {
          cut = socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
          cut = !sendByte(socket, hello[sent++]);
        } catch (IOException e) {
          cut = true; // reset
        }
      }
      assertThat(sent).as("bytes of a %d-byte hello sent", hello.length).isLessThan(hello.length);
      assertThat(cut).as("the trickling connection was closed").isTrue();
      assertThat(elapsedMs(start)).isBetween(IDLE_MS, 8 * IDLE_MS);
    }
  }

  /** The first bytes a TLS client sends: its ClientHello record. */
  private static byte[] clientHello() throws Exception {
    SSLEngine engine = SSLContext.getDefault().createSSLEngine("127.0.0.1", 0);
    engine.setUseClientMode(true);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    byte[] hello = new byte[out.flip().remaining()];
    out.get(hello);
    return hello;
  }

  private static Socket connect(String address) throws IOException {
    String[] hostPort = address.split(":");
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 2000);
    return socket;
  }

  /** False when the connection turned out closed. */
  private static boolean sendByte(Socket socket, byte b) {
    try {
      OutputStream out = socket.getOutputStream();
      out.write(b);
      out.flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
