package io.kvs.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.Addresses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The node-to-node endpoint {@code POST /internal/message}: the body is a {@link FrameBatch}
 * whose frames are handed to the node, in order, on its thread; the answer is 204 at once. With a cluster secret set, every
 * {@code /internal/*} request must carry it in {@value HttpTransport#SECRET_HEADER}, else 403.
 */
final class InternalRoutes {
  private final NodeThread node;
  private final byte[] secret;
  private final long maxFrameBytes;

  /** @param secret the cluster secret, or null to leave the endpoint open */
  InternalRoutes(NodeThread node, String secret, long maxFrameBytes) {
    this.node = node;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Registers the secret check and the message endpoint. */
  void register(RoutesConfig routes) {
    routes.before("/internal/*", this::checkSecret);
    routes.post(HttpTransport.PATH, this::message);
  }

  private void checkSecret(Context ctx) {
    if (secret == null) {
      return;
    }
    String given = ctx.header(HttpTransport.SECRET_HEADER);
    byte[] bytes = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(secret, bytes)) {
      throw new HttpError(403, "Internal endpoints need the cluster secret");
    }
  }

  private void message(Context ctx) {
    String from = ctx.header(HttpTransport.FROM_HEADER);
    if (!Addresses.valid(from)) {
      throw new HttpError(400, "Header " + HttpTransport.FROM_HEADER + " must name the sender as IP:PORT");
    }
    byte[] body = RequestBodies.read(ctx, maxFrameBytes);
    for (byte[] frame : FrameBatch.decode(body)) {
      node.receive(from, frame);
    }
    ctx.status(204);
  }
}
