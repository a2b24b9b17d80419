package io.kvs.http;

import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves plain key requests ({@code GET}, {@code PUT} or {@code DELETE /kvs/<key>}, the key
 * made of unreserved URL characters only, the body of a known length within the limit) as a
 * Jetty handler, before the servlet layer and Javalin's routing, which cost a client request more
 * than the node's own work on it. Each is parsed by {@link RequestBodies} and answered through
 * {@link ReplyMapper}, as {@link KvsRoutes} does; anything else (encoded keys, chunked bodies,
 * other routes) goes on to Javalin. Disabled with {@code -Dkvs.kv.fastPath=false}.
 */
final class KvsFastPath extends Handler.Wrapper {
  private static final Logger LOG = LoggerFactory.getLogger(KvsFastPath.class);
  private static final String PREFIX = "/kvs/";

  private final NodeThread node;
  private final long maxBodyBytes;
  private final java.util.concurrent.atomic.LongAdder served = new java.util.concurrent.atomic.LongAdder();

  KvsFastPath(NodeThread node, long maxBodyBytes) {
    this.node = node;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                        Callback callback) throws Exception {
    String method = request.getMethod();
    String path = org.eclipse.jetty.server.Request.getPathInContext(request);
    if (!isKvMethod(method) || !plainKeyPath(path) || !plainBody(request)) {
      return super.handle(request, response, callback);
    }
    served.increment();
    String key = path.substring(PREFIX.length());
    Executor jetty = request.getComponents().getExecutor();
    Content.Source.asByteArrayAsync(request, (int) maxBodyBytes).whenComplete((body, failure) -> {
      if (failure != null) {
        callback.failed(failure);
      } else {
        serve(method, key, body, response, callback, jetty);
      }
    });
    return true;
  }

  private void serve(String method, String key, byte[] body, org.eclipse.jetty.server.Response response,
                     Callback callback, Executor jetty) {
    Request request;
    try {
      request = KvsRoutes.kvRequest(method, key, RequestBodies.object(body));
    } catch (HttpError e) {
      write(e.reply(), response, callback);
      return;
    }
    node.submitDirect(request).whenComplete((reply, failure) -> {
      HttpReply answer = failure == null ? ReplyMapper.toHttp(reply) : failureReply(failure);
      if (node.onOwnThread()) {
        // finishing a response lets Jetty go on with the connection's next request on this
        // thread: never on the node's own
        jetty.execute(() -> write(answer, response, callback));
      } else {
        write(answer, response, callback);
      }
    });
  }

  private static HttpReply failureReply(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof NodeStoppedException stopped) {
      return HttpReply.error(503, stopped.getMessage());
    }
    LOG.warn("unexpected failure answering a key request", cause);
    return HttpReply.error(500, "Internal server error");
  }

  private static void write(HttpReply reply, org.eclipse.jetty.server.Response response, Callback callback) {
    response.setStatus(reply.status());
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, reply.body().length);
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
  }

  /** Requests this path took instead of Javalin. */
  long served() {
    return served.sum();
  }

  private static boolean isKvMethod(String method) {
    return "GET".equals(method) || "PUT".equals(method) || "DELETE".equals(method);
  }

  /** {@code /kvs/<key>} whose key needs no URL decoding: letters, digits and {@code -._~}. */
  static boolean plainKeyPath(String path) {
    if (path == null || !path.startsWith(PREFIX) || path.length() == PREFIX.length()) {
      return false;
    }
    for (int i = PREFIX.length(); i < path.length(); i++) {
      char c = path.charAt(i);
      boolean unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '.' || c == '_' || c == '~';
      if (!unreserved) {
        return false;
      }
    }
    return true;
  }

  /** A body of a declared length within the limit, or none at all (no length, not chunked). */
  private boolean plainBody(org.eclipse.jetty.server.Request request) {
    long length = request.getLength();
    if (length < 0) {
      return !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    }
    return length <= maxBodyBytes;
  }
}
