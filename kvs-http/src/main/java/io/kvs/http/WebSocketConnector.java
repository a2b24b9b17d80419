package io.kvs.http;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Opens peer streams as WebSockets to {@code ws://<address>/internal/stream} with the JDK's
 * {@link HttpClient}: a well-kept client, no dependency, and one selector thread per node for
 * every peer. The upgrade request names the sender ({@value HttpTransport#FROM_HEADER}) and
 * carries the cluster secret when there is one; {@link InternalStream} is the other end.
 */
final class WebSocketConnector implements StreamSocket.Connector {
  private final HttpClient client;
  private final String self;
  private final String secret;

  WebSocketConnector(String self, String secret) {
    this.self = self;
    this.secret = secret;
    this.client = HttpClient.newBuilder()
        .connectTimeout(Duration.ofNanos(PeerStream.CONNECT_TIMEOUT_NANOS)).build();
  }

  @Override
  public CompletableFuture<StreamSocket> connect(String address, Runnable onBroken) {
    WebSocket.Builder builder = client.newWebSocketBuilder()
        .connectTimeout(Duration.ofNanos(PeerStream.CONNECT_TIMEOUT_NANOS))
        .header(HttpTransport.FROM_HEADER, self);
    if (secret != null) {
      builder.header(HttpTransport.SECRET_HEADER, secret);
    }
    return builder.buildAsync(URI.create("ws://" + address + InternalStream.PATH), new Listener(onBroken))
        .thenApply(Socket::new);
  }

  @Override
  public void close() {
    // HttpClient can be closed from Java 21 on; on 17 its selector thread ends once it is unreachable
    if (client instanceof AutoCloseable closeable) {
      try {
        closeable.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  private record Socket(WebSocket webSocket) implements StreamSocket {
    @Override
    public CompletableFuture<Void> send(ByteBuffer message) {
      return webSocket.sendBinary(message, true).thenApply(sent -> null);
    }

    @Override
    public void abort() {
      webSocket.abort();
    }
  }

  /** The peer sends nothing back on this stream; the listener only notices its end. */
  private static final class Listener implements WebSocket.Listener {
    private final Runnable onBroken;
    private final AtomicBoolean ended = new AtomicBoolean();

    Listener(Runnable onBroken) {
      this.onBroken = onBroken;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
      webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      end();
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      end();
    }

    private void end() {
      if (ended.compareAndSet(false, true)) {
        onBroken.run();
      }
    }
  }
}
