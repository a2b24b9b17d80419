package io.kvs.testkit.history;

/**
 * One client operation as a history records it.
 *
 * @param id position in the history
 * @param session the client session that issued it
 * @param kind PUT, GET or DELETE
 * @param key the key
 * @param written for a PUT, the unique JSON text it wrote; else null
 * @param read for a GET that found the key, the JSON text returned; else null
 * @param status OK (acknowledged), FAIL (certainly not applied) or INFO (outcome unknown)
 * @param node where the client sent it
 * @param invokeMs virtual or wall time of invocation
 * @param completeMs time of completion
 * @param requestContext the causal metadata sent, as text
 * @param reply what came back, as text
 */
public record Operation(int id, int session, Kind kind, String key, String written, String read,
                        Status status, String node, long invokeMs, long completeMs,
                        String requestContext, String reply) {
  /** What the client asked for. */
  public enum Kind { PUT, GET, DELETE }

  /** What the client knows of the outcome. */
  public enum Status { OK, FAIL, INFO }

  /** True for a PUT or DELETE that may have taken effect. */
  public boolean mayHaveWritten() {
    return kind != Kind.GET && status != Status.FAIL;
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case PUT -> "put(" + key + "=" + written + ")";
      case GET -> "get(" + key + ")=" + (read == null ? "missing" : read);
      case DELETE -> "delete(" + key + ")";
    };
    return "#" + id + " s" + session + " " + what + " " + status + " at " + node
        + " [" + invokeMs + ".." + completeMs + "ms] " + reply;
  }
}
