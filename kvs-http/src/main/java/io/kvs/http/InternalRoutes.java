package io.kvs.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.kvs.core.Addresses;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The node-to-node endpoint {@code POST /internal/message}: the body is a {@link FrameBatch}
 * whose frames are handed to the node, in order, as one task on its thread. The answer is 204
 * at once; or, when the sender accepts it ({@value HttpTransport#REPLIES_HEADER}) and the batch
 * is small, it comes once the node handled the frames: 204, or 200 with the frames the node sent
 * back to the sender meanwhile ({@link HttpTransport#capture}), such as write acknowledgements.
 * With a cluster secret set, every {@code /internal/*} request must carry it in
 * {@value HttpTransport#SECRET_HEADER}, else 401 (with {@code WWW-Authenticate} naming the header):
 * the request lacks the credential, which is what 401 means; 403 would say no credential helps.
 */
final class InternalRoutes {
  /** Batches larger than this are answered at once, without waiting for the node. */
  static final int WAIT_FOR_NODE_MAX_BYTES = 256 * 1024;

  private final NodeThread node;
  private final HttpTransport transport;
  private final byte[] secret;
  private final long maxFrameBytes;

  /**
   * @param transport this node's transport, which may carry frames back in the answer; null
   *     to answer 204 always
   * @param secret the cluster secret, or null to leave the endpoint open
   */
  InternalRoutes(NodeThread node, HttpTransport transport, String secret, long maxFrameBytes) {
    this.node = node;
    this.transport = transport;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Registers the secret check and the message endpoint. */
  void register(RoutesConfig routes) {
    routes.before("/internal/*", this::checkSecret);
    routes.post(HttpTransport.PATH, this::message);
  }

  private void checkSecret(Context ctx) {
    if (!secretMatches(ctx.header(HttpTransport.SECRET_HEADER))) {
      ctx.header("WWW-Authenticate", HttpTransport.SECRET_HEADER);
      throw new HttpError(401, "Internal endpoints need the cluster secret");
    }
  }

  private boolean secretMatches(String given) {
    return secretMatches(secret, given);
  }

  /** Whether {@code given} is the cluster secret (always, without one), compared in constant time. */
  static boolean secretMatches(byte[] secret, String given) {
    if (secret == null) {
      return true;
    }
    byte[] bytes = given == null ? new byte[0] : given.getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(secret, bytes);
  }

  private void message(Context ctx) {
    String from = ctx.header(HttpTransport.FROM_HEADER);
    if (!Addresses.valid(from)) {
      throw new HttpError(400, "Header " + HttpTransport.FROM_HEADER + " must name the sender as IP:PORT");
    }
    byte[] body = RequestBodies.read(ctx, maxFrameBytes);
    List<byte[]> frames = FrameBatch.decode(body);
    boolean takesReplies = transport != null && ctx.header(HttpTransport.REPLIES_HEADER) != null;
    if (!takesReplies || body.length > WAIT_FOR_NODE_MAX_BYTES) {
      // a large batch (a shard transfer) may take a while to handle: answer at once
      node.receive(from, frames);
      ctx.status(204);
      return;
    }
    CompletableFuture<List<byte[]>> replies = node.receiveDirect(from, frames, work -> transport.capture(from, work))
        .exceptionally(stopped -> List.of());
    if (replies.isDone()) {
      answer(ctx, replies.join());
    } else {
      ctx.future(() -> replies.thenAccept(r -> answer(ctx, r)));
    }
  }

  /** 204, or 200 with the frames the node sent back to the sender while handling its request. */
  private static void answer(Context ctx, List<byte[]> replies) {
    if (replies.isEmpty()) {
      ctx.status(204);
      return;
    }
    new HttpReply(200, FrameBatch.encode(replies)).writeDirectly(ctx, "application/octet-stream");
  }
}
