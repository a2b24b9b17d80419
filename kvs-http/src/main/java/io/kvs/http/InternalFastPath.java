package io.kvs.http;

import io.kvs.core.Addresses;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Handles well-formed {@code POST /internal/message} requests as a Jetty handler, before the
 * servlet layer and Javalin's routing: a peer exchange is the most frequent request a node
 * serves, and that pipeline cost more than the exchange's own work. Anything else, and any
 * request that is not plainly well-formed (no valid sender, wrong secret, no or too large a
 * length), goes on to {@link InternalRoutes}, which answers it and its errors as before.
 */
final class InternalFastPath extends Handler.Wrapper {
  private final NodeThread node;
  private final HttpTransport transport;
  private final byte[] secret;
  private final long maxFrameBytes;

  InternalFastPath(NodeThread node, HttpTransport transport, String secret, long maxFrameBytes) {
    this.node = node;
    this.transport = transport;
    this.secret = secret == null ? null : secret.getBytes(StandardCharsets.UTF_8);
    this.maxFrameBytes = maxFrameBytes;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    if (!plainlyWellFormed(request)) {
      return super.handle(request, response, callback);
    }
    String from = request.getHeaders().get(HttpTransport.FROM_HEADER);
    boolean takesReplies = transport != null && request.getHeaders().contains(HttpTransport.REPLIES_HEADER);
    Content.Source.asByteArrayAsync(request, (int) maxFrameBytes).whenComplete((body, failure) -> {
      if (failure != null) {
        callback.failed(failure);
      } else {
        deliver(from, body, takesReplies, response, callback, request.getComponents().getExecutor());
      }
    });
    return true;
  }

  private boolean plainlyWellFormed(Request request) {
    long length = request.getLength();
    return "POST".equals(request.getMethod()) && HttpTransport.PATH.equals(Request.getPathInContext(request))
        && length >= 0 && length <= Math.min(maxFrameBytes, InternalRoutes.WAIT_FOR_NODE_MAX_BYTES)
        && Addresses.valid(request.getHeaders().get(HttpTransport.FROM_HEADER))
        && InternalRoutes.secretMatches(secret, request.getHeaders().get(HttpTransport.SECRET_HEADER));
  }

  private void deliver(String from, byte[] body, boolean takesReplies, Response response, Callback callback,
                       java.util.concurrent.Executor executor) {
    List<byte[]> frames;
    try {
      frames = FrameBatch.decode(body);
    } catch (HttpError e) {
      write(response, e.reply().status(), "application/json", e.reply().body(), callback);
      return;
    }
    if (!takesReplies) {
      node.receive(from, frames);
      write(response, 204, null, null, callback);
      return;
    }
    // the answer is written on one of Jetty's threads, never the node's: completing a response
    // can make Jetty go on to the connection's next request on the completing thread
    node.receiveDirect(from, frames, work -> transport.capture(from, work)).exceptionally(stopped -> List.of())
        .thenAcceptAsync(replies -> {
          if (replies.isEmpty()) {
            write(response, 204, null, null, callback);
          } else {
            write(response, 200, "application/octet-stream", FrameBatch.encode(replies), callback);
          }
        }, executor);
  }

  private static void write(Response response, int status, String contentType, byte[] body, Callback callback) {
    response.setStatus(status);
    if (body == null) {
      callback.succeeded();
      return;
    }
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    response.write(true, ByteBuffer.wrap(body), callback);
  }
}
