package io.kvs.testkit.netns;

import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.io.IOException;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One client session over HTTP: it passes back the causal metadata of its latest answer (kept as
 * raw JSON text) on every request, retries nothing, and records every operation in a
 * {@link History}.
 *
 * <p>Outcomes, as the checkers read them: {@code OK} = acknowledged (2xx, or 404 for a GET);
 * {@code FAIL} = certainly not applied (4xx, a 503 "Causal dependencies not satisfied", a DELETE
 * answered 404, any failed GET, a request whose connection could not be opened, so that nothing
 * was sent); {@code INFO} = outcome unknown (a PUT or DELETE that timed out, lost its connection
 * after sending, or got another 503 or a 5xx).
 *
 * <p>Not thread-safe: one thread drives one session.
 */
public final class ClientSession {
  /** Marker of the 503 a replica gives when it has not seen the metadata's dependencies. */
  public static final String CAUSAL_503 = "Causal dependencies not satisfied";
  private static final int MAX_REPLY_CHARS = 400;

  private final int id;
  private final History history;
  private final LongSupplier clockMs;
  private final Duration timeout;
  private String metadata;
  private int writes;

  /**
   * A session with no metadata yet.
   *
   * @param id the session number in the history
   * @param history where operations are recorded
   * @param clockMs the common clock of the run, in ms
   * @param timeout the request timeout
   */
  public ClientSession(int id, History history, LongSupplier clockMs, Duration timeout) {
    this.id = id;
    this.history = history;
    this.clockMs = clockMs;
    this.timeout = timeout;
  }

  /**
   * What one request gave.
   *
   * @param op the recorded operation
   * @param answer the node's answer, or {@code null} when none came
   * @param error the connection error or timeout, or {@code null}
   */
  public record Outcome(Operation op, NodeHttp.Answer answer, String error) {
    /** The HTTP status, or -1 when no answer came. */
    public int status() {
      return answer == null ? -1 : answer.status();
    }

    /** Whether the answer was a 503. */
    public boolean unavailable() {
      return status() == 503;
    }

    /** Whether the answer is none of the contract's statuses for key operations. */
    public boolean unexpected() {
      int s = status();
      return s >= 500 && s != 503;
    }

    @Override
    public String toString() {
      return op + (error != null ? " error: " + error : "");
    }
  }

  /** The session number. */
  public int id() {
    return id;
  }

  /** The metadata this session sends next (raw JSON), or {@code null} for none. */
  public String metadata() {
    return metadata;
  }

  /** Replaces the metadata sent next (for example to replay an older one). */
  public void setMetadata(String rawJson) {
    this.metadata = rawJson;
  }

  /** A value unique to this session's next write: the JSON string {@code "s<id>-<n>"}. */
  public String nextValue() {
    writes++;
    return NodeHttp.quote("s" + id + "-" + writes);
  }

  /** {@code PUT /kvs/<key>} at {@code node} with {@code valueJson} (raw JSON text). */
  public Outcome put(String node, String key, String valueJson) {
    String body = "{\"value\":" + valueJson + ",\"causal-metadata\":" + metadataOrNull() + "}";
    return call(Operation.Kind.PUT, node, key, valueJson, body);
  }

  /** {@code PUT} of {@link #nextValue()}. */
  public Outcome putNext(String node, String key) {
    return put(node, key, nextValue());
  }

  /** {@code GET /kvs/<key>} at {@code node}. */
  public Outcome get(String node, String key) {
    return call(Operation.Kind.GET, node, key, null, "{\"causal-metadata\":" + metadataOrNull() + "}");
  }

  /** {@code DELETE /kvs/<key>} at {@code node}. */
  public Outcome delete(String node, String key) {
    return call(Operation.Kind.DELETE, node, key, null, "{\"causal-metadata\":" + metadataOrNull() + "}");
  }

  private String metadataOrNull() {
    return metadata == null ? "null" : metadata;
  }

  private Outcome call(Operation.Kind kind, String node, String key, String written, String body) {
    String sentContext = metadataOrNull();
    long invoke = clockMs.getAsLong();
    NodeHttp.Answer answer = null;
    String error = null;
    boolean notSent = false;
    try {
      answer = NodeHttp.send(node, kind.name(), "/kvs/" + io.kvs.testkit.process.KvsHttpClient.encodeSegment(key),
          body, timeout);
    } catch (IOException e) {
      error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      notSent = e instanceof java.net.ConnectException || e instanceof java.net.http.HttpConnectTimeoutException;
    }
    long complete = clockMs.getAsLong();
    Operation.Status status = notSent ? Operation.Status.FAIL : classify(kind, answer);
    String read = null;
    if (answer != null && (answer.status() == 200 || answer.status() == 201 || answer.status() == 404)) {
      String m = answer.metadata();
      if (m != null && !m.equals("null")) {
        metadata = m;
      }
      if (kind == Operation.Kind.GET && answer.status() == 200) {
        read = answer.raw("value");
      }
    }
    String reply = answer == null ? "no answer: " + error : answer.toString();
    if (reply.length() > MAX_REPLY_CHARS) {
      reply = reply.substring(0, MAX_REPLY_CHARS) + "...";
    }
    Operation op = history.add(id, kind, key, written, read, status, node, invoke, complete, sentContext, reply);
    return new Outcome(op, answer, error);
  }

  /** The outcome class of an answer ({@code null} = none came) to a request of {@code kind}. */
  public static Operation.Status classify(Operation.Kind kind, NodeHttp.Answer answer) {
    boolean write = kind != Operation.Kind.GET;
    if (answer == null) {
      return write ? Operation.Status.INFO : Operation.Status.FAIL;
    }
    int s = answer.status();
    if (s == 200 || s == 201) {
      return Operation.Status.OK;
    }
    if (s == 404) {
      return kind == Operation.Kind.GET && answer.body().contains("Key does not exist")
          ? Operation.Status.OK : Operation.Status.FAIL;
    }
    if (s == 503 && answer.body().contains(CAUSAL_503)) {
      return Operation.Status.FAIL;
    }
    if (s >= 500) {
      return write ? Operation.Status.INFO : Operation.Status.FAIL;
    }
    return Operation.Status.FAIL;
  }
}
