package io.kvs.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.websocket.WsBinaryMessageContext;
import io.kvs.core.Addresses;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of peer streams: a WebSocket at {@code GET /internal/stream} whose binary
 * messages are {@link FrameBatch}es, each handed to the node, in order, as one task. The upgrade
 * must name the sender ({@value HttpTransport#FROM_HEADER}, else 400) and carry the cluster
 * secret when one is set (else 403), as {@code POST /internal/message} must. A message that is
 * not a well-formed batch closes the stream (1007); the sender opens a new one.
 */
final class InternalStream {
  static final String PATH = "/internal/stream";
  /** A stream may stay idle this long; the sender opens a new one when it next has frames. */
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);

  private static final Logger LOG = LoggerFactory.getLogger(InternalStream.class);

  private final String self;
  private final NodeThread node;
  private final byte[] secret;

  InternalStream(String self, NodeThread node, String secret) {
    this.self = self;
    this.node = node;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Registers the endpoint and sizes Jetty's WebSocket limits for frames of {@code maxFrameBytes}. */
  void register(JavalinConfig config, long maxFrameBytes) {
    config.jetty.modifyWebSocketServletFactory(factory -> {
      factory.setMaxBinaryMessageSize(maxFrameBytes);
      factory.setIdleTimeout(IDLE_TIMEOUT);
    });
    config.routes.wsBeforeUpgrade(PATH, this::checkUpgrade);
    config.routes.ws(PATH, ws -> ws.onBinaryMessage(this::message));
  }

  private void checkUpgrade(Context ctx) {
    if (!InternalRoutes.secretMatches(secret, ctx.header(HttpTransport.SECRET_HEADER))) {
      throw new HttpError(403, "Internal endpoints need the cluster secret");
    }
    if (!Addresses.valid(ctx.header(HttpTransport.FROM_HEADER))) {
      throw new HttpError(400, "Header " + HttpTransport.FROM_HEADER + " must name the sender as IP:PORT");
    }
  }

  private void message(WsBinaryMessageContext ctx) {
    String from = ctx.header(HttpTransport.FROM_HEADER);
    List<byte[]> frames;
    try {
      frames = FrameBatch.decode(ctx.data());
    } catch (HttpError e) {
      LOG.warn("{}: a malformed frame batch from {} closes its stream: {}", self, from, e.getMessage());
      ctx.closeSession(CloseStatus.BAD_PAYLOAD, "malformed frame batch");
      return;
    }
    node.receive(from, frames);
  }
}
