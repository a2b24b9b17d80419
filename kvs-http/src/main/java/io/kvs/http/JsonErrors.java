package io.kvs.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.MethodNotAllowedResponse;
import io.javalin.http.NotFoundResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes every error a JSON {@code {"error": "<sentence>"}}: exceptions in handlers, unknown
 * routes (404), wrong methods (405), and the errors Jetty answers by itself (malformed
 * requests), which would otherwise be HTML pages.
 */
final class JsonErrors {
  private static final Logger LOG = LoggerFactory.getLogger(JsonErrors.class);

  private JsonErrors() {}

  /** Registers the exception handlers of the Javalin routes. */
  static void register(RoutesConfig routes) {
    routes.exception(HttpError.class, (e, ctx) -> e.reply().writeTo(ctx));
    routes.exception(NodeStoppedException.class, (e, ctx) -> HttpReply.error(503, e.getMessage()).writeTo(ctx));
    routes.exception(HttpResponseException.class, JsonErrors::javalinError);
    routes.exception(Exception.class, (e, ctx) -> {
      LOG.warn("unexpected failure answering {} {}", ctx.method(), ctx.path(), e);
      HttpReply.error(500, "Internal server error").writeTo(ctx);
    });
  }

  private static void javalinError(HttpResponseException e, Context ctx) {
    String message;
    if (e instanceof MethodNotAllowedResponse) {
      message = "Method " + ctx.method().name() + " is not allowed on " + ctx.path();
      String allowed = e.getDetails().get("availableMethods");
      if (allowed != null) {
        ctx.header(Header.ALLOW, allowed);
      }
    } else if (e instanceof NotFoundResponse) {
      message = "No route for " + ctx.method().name() + " " + ctx.path();
    } else if (e.getStatus() == HttpStatus.PAYLOAD_TOO_LARGE_413) {
      message = "Request body is too large";
    } else {
      message = sentence(e.getStatus());
    }
    HttpReply.error(e.getStatus(), message).writeTo(ctx);
  }

  /** A sentence for a bare status code. */
  static String sentence(int status) {
    return switch (status) {
      case 400 -> "Malformed HTTP request";
      case 404 -> "No such resource";
      case 405 -> "Method not allowed";
      case 413 -> "Request body is too large";
      case 414 -> "Request URI is too long";
      case 431 -> "Request headers are too large";
      case 500 -> "Internal server error";
      // Jetty answers 503 by itself only while a graceful stop refuses new requests
      case 503 -> "The node is shutting down; try again later";
      default -> "Request failed with status " + status + " (" + HttpStatus.getMessage(status) + ")";
    };
  }

  /** Jetty's own error pages, as JSON. */
  static final class JettyHandler extends ErrorHandler {
    /** Every method gets a body: Jetty's default gives one only to GET, POST and HEAD. */
    @Override
    public boolean errorPageForMethod(String method) {
      return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message,
                                    Throwable cause, Callback callback) {
      int status = code;
      String sentence = sentence(code);
      if (code == HttpStatus.HTTP_VERSION_NOT_SUPPORTED_505) {
        // the client's mistake, so a 4xx like every other malformed request
        status = 400;
        sentence = "Unsupported HTTP version; use HTTP/1.1";
        response.setStatus(status);
      }
      if (cause instanceof org.eclipse.jetty.http.HttpException) {
        // Jetty closes the connection after a malformed request: say so, or a keep-alive client
        // sends its next request into a closed socket
        response.getHeaders().put(HttpHeader.CONNECTION, "close");
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
      Content.Sink.write(response, true, Json.error(sentence).toString(), callback);
    }
  }
}
