package io.kvs.examples.boot;

import io.kvs.http.KvsServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded kvs node as a bean, closed when the application context shuts down.
 * {@code kvs.address} is this node's IP:PORT (default: 127.0.0.1 and a free port) and
 * {@code kvs.view} the comma-separated addresses of every node, this one included (default:
 * this node alone).
 */
@Configuration(proxyBeanMethods = false)
public class KvsConfiguration {
  private static final Duration READY = Duration.ofSeconds(30);

  /**
   * Starts the node and waits until it serves, so that no request reaches it half-started.
   *
   * @param address this node's address, or empty for 127.0.0.1 on a free port
   * @param view every node's address, or empty for this node alone
   * @return the running node; Spring calls {@link KvsServer#close()} on shutdown
   */
  @Bean(destroyMethod = "close")
  public KvsServer kvsServer(@Value("${kvs.address:}") String address, @Value("${kvs.view:}") List<String> view) {
    String self = address.isEmpty() ? "127.0.0.1:" + freePort() : address;
    List<String> members = view.isEmpty() ? List.of(self) : view;
    KvsServer server = KvsServer.builder().address(self).view(members).listenHost("127.0.0.1").start();
    if (!server.awaitReady(READY)) {
      server.close();
      throw new IllegalStateException("the kvs node at " + self + " is not ready after " + READY);
    }
    return server;
  }

  /** A port the OS just had free (the node must know its address, port included, before it starts). */
  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
