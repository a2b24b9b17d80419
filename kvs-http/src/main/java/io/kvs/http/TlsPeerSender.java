package io.kvs.http;

import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request slot of a {@link PeerLink} over TLS: one request at a time through the node's
 * {@link TlsPeerClient}, whose pool keeps the connections (so this sender is never CONNECTING
 * or SENDING, only AWAITING a request's answer, IDLE, or CLOSED). The answer is handled on
 * the client's threads: frames it carries back go to the node, as the selector thread does for
 * plaintext, and the next waiting frames leave at once.
 */
final class TlsPeerSender implements PeerSender {
  private static final Logger LOG = LoggerFactory.getLogger(TlsPeerSender.class);

  private final PeerLink peer;
  private final TlsPeerClient client;
  private State state = State.IDLE;
  private int requestBytes;
  private int framesOut;
  private long startedNanos;

  TlsPeerSender(PeerLink peer, TlsPeerClient client) {
    this.peer = peer;
    this.client = client;
  }

  @Override
  public State state() {
    return state;
  }

  @Override
  public boolean holdsBackOthers(long nanos, long maxBytes, long nowNanos) {
    return state == State.AWAITING && requestBytes <= maxBytes && nowNanos - startedNanos < nanos;
  }

  @Override
  public int framesInFlight() {
    return state == State.AWAITING ? framesOut : 0;
  }

  @Override
  public void start(ByteBuffer body, int frameCount) {
    state = State.AWAITING;
    framesOut = frameCount;
    requestBytes = body.remaining();
    startedNanos = System.nanoTime();
    client.http().sendAsync(client.request(peer.address(), body), HttpResponse.BodyHandlers.ofByteArray())
        .whenCompleteAsync(this::finished, client.executor());
  }

  /** On the client's thread: the answer, or why there is none. */
  private void finished(HttpResponse<byte[]> response, Throwable failure) {
    List<byte[]> frames = null;
    synchronized (peer) {
      if (state == State.CLOSED) {
        return;
      }
      if (failure != null) {
        failed(failure);
      } else {
        state = State.IDLE;
        peer.reachable();
        client.reached(peer.address());
        frames = carriedBack(response);
      }
    }
    // as the selector thread does: frames are handed on, and the link pumped, without its monitor
    if (frames != null && !frames.isEmpty()) {
      peer.deliverCarriedBack(frames);
    }
    peer.pump();
  }

  private void failed(Throwable failure) {
    close();
    Throwable cause = rootCause(failure);
    if (cause instanceof SSLException) {
      client.tlsFailed(peer.address(), cause);
      peer.unreachable(cause.toString());
    } else if (cause instanceof ConnectException || cause instanceof HttpConnectTimeoutException) {
      peer.unreachable(cause.toString());
    } else {
      LOG.debug("frames to {} lost: {}", peer.address(), cause.toString());
    }
  }

  private List<byte[]> carriedBack(HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status != 200 && status != 204) {
      LOG.debug("frames to {} refused with status {}", peer.address(), status);
      return null;
    }
    if (status != 200 || response.body().length == 0) {
      return null;
    }
    try {
      return FrameBatch.decode(response.body());
    } catch (RuntimeException e) {
      LOG.debug("frames carried back from {} dropped: {}", peer.address(), e.toString());
      return null;
    }
  }

  private static Throwable rootCause(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && !(cause instanceof SSLException) && !(cause instanceof ConnectException)
        && !(cause instanceof HttpConnectTimeoutException)) {
      cause = cause.getCause();
    }
    return cause;
  }

  /** The client's request timeout (the forward timeout) ends a request in flight; nothing to do per tick. */
  @Override
  public void tick(long nowNanos) {
    // idle connections are the client pool's, and it closes them
  }

  @Override
  public void close() {
    state = State.CLOSED;
    peer.forget(this);
  }
}
