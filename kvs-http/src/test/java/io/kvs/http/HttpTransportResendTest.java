package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A request that failed on a reused connection goes again on a new one only when the peer may
 * never have seen it (the connection turned out closed before any answer); not when the peer
 * was merely slow or began to answer, which would hand it the same frames twice.
 */
class HttpTransportResendTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long REQUEST_TIMEOUT_MS = 500;

  /** What the peer does with the second request on a connection, after handling it. */
  enum Misbehaviour {
    NO_ANSWER_IN_TIME {
      @Override
      boolean answer(OutputStream out) {
        // the transport gives up after its request timeout and closes the connection
        return true;
      }
    },
    PART_OF_AN_ANSWER_THEN_CLOSE {
      @Override
      boolean answer(OutputStream out) throws java.io.IOException {
        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nabc".getBytes(StandardCharsets.US_ASCII));
        return false;
      }
    },
    NOT_HTTP {
      @Override
      boolean answer(OutputStream out) throws java.io.IOException {
        out.write("SSH-2.0-OpenSSH_9.2\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return true;
      }
    };

    abstract boolean answer(OutputStream out) throws java.io.IOException;
  }

  private HttpTransport transport;
  private FakePeer peer;

  @AfterEach
  void closeAll() {
    transport.close();
    peer.close();
  }

  @ParameterizedTest
  @EnumSource(Misbehaviour.class)
  void requestThePeerHandledIsNotSentAgain(Misbehaviour misbehaviour) {
    peer = new FakePeer((request, out) -> request.connection() == 0 && request.index() == 1
        ? misbehaviour.answer(out) : FakePeer.NO_CONTENT.answer(request, out));
    transport = new HttpTransport("127.0.0.1:" + TestCluster.freePort(), null, REQUEST_TIMEOUT_MS);
    transport.send(peer.address(), frame("a"));
    Http.await(WAIT, "the first request is answered",
        () -> peer.requests().size() == 1 && transport.requestsInFlight(peer.address()) == 0);

    transport.send(peer.address(), frame("b"));

    // a resend, if any, is started under the same lock that gives up the first connection
    Http.await(WAIT, "the first connection is given up and nothing is in flight",
        () -> peer.finishedConnections() == 1 && transport.requestsInFlight(peer.address()) == 0);
    assertThat(peer.frames()).containsExactly("a", "b");

    transport.send(peer.address(), frame("c"));
    Http.await(WAIT, "the link still carries frames", () -> peer.frames().contains("c"));
    assertThat(peer.frames()).containsExactly("a", "b", "c");
  }

  private static byte[] frame(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
