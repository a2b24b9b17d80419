package io.kvs.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A node's HTTP port, bound before the node is built: a port 0 becomes a real port first, so
 * that the node's address (its identity in the view) names the port it actually listens on.
 * Jetty then accepts on this very socket, so no other process can take the port in between.
 */
final class HttpListener implements AutoCloseable {
  private final String host;
  private final ServerSocketChannel channel;

  private HttpListener(String host, ServerSocketChannel channel) {
    this.host = host;
    this.channel = channel;
  }

  /**
   * Binds {@code host:port}; port 0 picks a free one.
   *
   * @throws IllegalStateException when the port cannot be bound
   */
  static HttpListener bind(String host, int port) {
    ServerSocketChannel channel = null;
    try {
      channel = ServerSocketChannel.open();
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.configureBlocking(true); // Jetty's acceptors block in accept()
      channel.bind(new InetSocketAddress(host, port));
      return new HttpListener(host, channel);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw new IllegalStateException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** The bound port, never 0. */
  int port() {
    return channel.socket().getLocalPort();
  }

  /** {@code host:port} as bound. */
  String listenAddress() {
    return host + ":" + port();
  }

  /**
   * A Jetty connector accepting on this socket; Jetty closes it when the server stops. With
   * {@code tls} it speaks HTTPS only. A connection idle for {@code idleTimeoutMs} is closed, so
   * is one whose request head takes longer than that ({@link RequestHeadDeadline}), and beyond
   * {@code maxConnections} open ones Jetty stops accepting until one closes (new ones wait in the
   * kernel's backlog), so slow or hostile clients cannot hold more than that.
   *
   * @param node the node's address, which log lines start with
   */
  Connector connector(Server server, HttpConfiguration config, String node, TlsMaterial tls, long idleTimeoutMs,
                      int maxConnections) {
    ServerConnector connector = tls == null
        ? new ServerConnector(server, new HttpConnectionFactory(config))
        : new ServerConnector(server, new SslConnectionFactory(sslFactory(tls), "http/1.1"),
            new HttpConnectionFactory(secure(config)));
    connector.setIdleTimeout(idleTimeoutMs);
    connector.addBean(new RequestHeadDeadline(node, connector, idleTimeoutMs));
    server.addBean(new NetworkConnectionLimit(maxConnections, connector));
    try {
      connector.open(channel);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + listenAddress() + ": " + e.getMessage(), e);
    }
    return connector;
  }

  private static SslContextFactory.Server sslFactory(TlsMaterial tls) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setKeyStore(tls.keyStore());
    factory.setKeyStorePassword(TlsMaterial.KEY_STORE_PASSWORD);
    factory.setCertAlias(TlsMaterial.KEY_ALIAS);
    return factory;
  }

  /**
   * A copy of Javalin's configuration that marks requests secure (scheme https). Its SNI host
   * check is off: clients of IP addresses send no SNI anyway, and a client that does checks the
   * certificate's names itself.
   */
  private static HttpConfiguration secure(HttpConfiguration config) {
    HttpConfiguration copy = new HttpConfiguration(config);
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    copy.addCustomizer(customizer);
    return copy;
  }

  /** Releases the port; for a listener whose node never started. */
  @Override
  public void close() {
    closeQuietly(channel);
  }

  private static void closeQuietly(ServerSocketChannel channel) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // nothing listens on it either way
      }
    }
  }
}
