package io.kvs.http;

/** A request the HTTP layer refuses before it reaches the node: a status and one sentence. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  HttpReply reply() {
    return HttpReply.error(status, getMessage());
  }
}
