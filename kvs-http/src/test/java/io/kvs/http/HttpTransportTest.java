package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link HttpTransport} against a {@link FakePeer}: what arrives, what comes back, what survives. */
class HttpTransportTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final String self = "127.0.0.1:" + TestCluster.freePort();
  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private HttpTransport transport(String secret, long requestTimeoutMs) {
    HttpTransport transport = new HttpTransport(self, secret, requestTimeoutMs);
    toClose.add(transport);
    return transport;
  }

  private HttpTransport transportHoldingBackFor(long slowRequestMs) {
    HttpTransport transport = new HttpTransport(self, null, 60_000, slowRequestMs);
    toClose.add(transport);
    return transport;
  }

  private FakePeer peer(FakePeer.Answering answering) {
    FakePeer peer = new FakePeer(answering);
    toClose.add(peer);
    return peer;
  }

  /** A peer that answers every request with 200 carrying {@code frames} back. */
  private FakePeer peerAnsweringWith(byte[]... frames) {
    byte[] body = FrameBatch.encode(List.of(frames));
    return peer((request, out) -> {
      out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + body.length
          + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      return true;
    });
  }

  private static byte[] frame(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Waits until the transport has no request to {@code peer} in flight and the peer has {@code count} requests. */
  private static void awaitSettled(HttpTransport transport, FakePeer peer, int count) {
    Http.await(WAIT, peer.address() + " has " + count + " requests and none in flight",
        () -> peer.requests().size() >= count && transport.requestsInFlight(peer.address()) == 0);
    assertThat(peer.requests()).hasSize(count);
  }

  @Test
  void framesWaitingWhileBothConnectionsAreBusyLeaveTogetherInOrder() {
    CountDownLatch release = new CountDownLatch(1);
    FakePeer peer = peer((request, out) -> {
      release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      return FakePeer.NO_CONTENT.answer(request, out);
    });
    HttpTransport transport = transport(null, 10_000);

    transport.send(peer.address(), frame("f0"));
    transport.send(peer.address(), frame("f1"));
    Http.await(WAIT, "both connections carry a request", () -> peer.requests().size() == 2);
    List<String> rest = IntStream.range(2, 100).mapToObj(i -> "f" + i).toList();
    rest.forEach(f -> transport.send(peer.address(), frame(f)));
    release.countDown();

    awaitSettled(transport, peer, 3);
    List<FakePeer.Request> requests = peer.requests();
    assertThat(requests.subList(0, 2)).extracting(r -> FakePeer.texts(r.frames()))
        .containsExactlyInAnyOrder(List.of("f0"), List.of("f1"));
    assertThat(FakePeer.texts(requests.get(2).frames())).containsExactlyElementsOf(rest);
    assertThat(peer.connections()).isEqualTo(2);
  }

  @Test
  void framesSentWhileAQuickRequestIsOutWaitForItAndLeaveTogetherOnTheSameConnection() {
    CountDownLatch release = new CountDownLatch(1);
    FakePeer peer = peer((request, out) -> {
      if (request.index() == 0) {
        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      return FakePeer.NO_CONTENT.answer(request, out);
    });
    // no request counts as slow within this test, whatever the machine's speed
    HttpTransport transport = transportHoldingBackFor(60_000);

    transport.send(peer.address(), frame("f0"));
    Http.await(WAIT, "the first request arrives", () -> peer.requests().size() == 1);
    List<String> rest = IntStream.range(1, 10).mapToObj(i -> "f" + i).toList();
    rest.forEach(f -> transport.send(peer.address(), frame(f)));
    release.countDown();

    awaitSettled(transport, peer, 2);
    assertThat(FakePeer.texts(peer.requests().get(1).frames())).containsExactlyElementsOf(rest);
    assertThat(peer.connections()).as("connections opened").isEqualTo(1);
  }

  @Test
  void closeAfterSendingDeliversAFrameQueuedBehindARequestInFlight() {
    FakePeer peer = peer((request, out) -> {
      if (request.index() == 0) {
        Thread.sleep(300); // the goodbye queues behind this request
      }
      return FakePeer.NO_CONTENT.answer(request, out);
    });
    HttpTransport transport = transportHoldingBackFor(60_000);

    transport.send(peer.address(), frame("last write"));
    Http.await(WAIT, "the first request arrives", () -> peer.requests().size() == 1);
    transport.send(peer.address(), frame("goodbye"));
    transport.closeAfterSending(WAIT.toMillis());

    assertThat(peer.frames()).containsExactly("last write", "goodbye");
  }

  @Test
  void closeAfterSendingDoesNotWaitForAPeerThatCannotBeReached() {
    HttpTransport transport = transport(null, 10_000);
    String nobody = "127.0.0.1:" + TestCluster.freePort();
    transport.send(nobody, frame("goodbye"));
    Http.await(WAIT, "the connect fails", () -> transport.requestsInFlight(nobody) == 0);
    long start = System.nanoTime();
    transport.closeAfterSending(WAIT.toMillis());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(WAIT.dividedBy(2));
  }

  @Test
  void aSmallRequestOutLongerThanTheSlowLimitStopsHoldingBackTheFramesBehindIt() {
    CountDownLatch release = new CountDownLatch(1);
    FakePeer peer = peer((request, out) -> {
      if (FakePeer.texts(request.frames()).contains("stalled")) {
        // held past the test's own wait, so only a second request can let the heartbeat through
        release.await(3 * WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      return FakePeer.NO_CONTENT.answer(request, out);
    });
    HttpTransport transport = transport(null, 10_000);

    transport.send(peer.address(), frame("stalled"));
    Http.await(WAIT, "the stalled request arrives", () -> peer.requests().size() == 1);
    transport.send(peer.address(), frame("heartbeat"));

    Http.await(WAIT, "the frame behind the stalled request arrives while it is still out",
        () -> peer.frames().contains("heartbeat"));
    release.countDown();
    assertThat(peer.connections()).isEqualTo(2);
  }

  @Test
  void aLargeRequestNeverHoldsBackTheFramesBehindIt() {
    CountDownLatch release = new CountDownLatch(1);
    FakePeer peer = peer((request, out) -> {
      if (request.frames().get(0).length > PeerLink.HOLD_BACK_MAX_BYTES) {
        // held past the test's own wait, so only a second request can let the heartbeat through
        release.await(3 * WAIT.toSeconds(), TimeUnit.SECONDS);
      }
      return FakePeer.NO_CONTENT.answer(request, out);
    });
    // only size can let the heartbeat pass: no request counts as slow within this test
    HttpTransport transport = transportHoldingBackFor(60_000);

    transport.send(peer.address(), new byte[PeerLink.HOLD_BACK_MAX_BYTES + 1]);
    Http.await(WAIT, "the transfer arrives", () -> peer.requests().size() == 1);
    transport.send(peer.address(), frame("heartbeat"));

    Http.await(WAIT, "the frame behind the transfer arrives while it is still out",
        () -> peer.frames().contains("heartbeat"));
    release.countDown();
  }

  @Test
  void aReceiverThatFailsOnceKeepsGettingTheFramesCarriedBackLater() {
    FakePeer peer = peerAnsweringWith(frame("ack"));
    HttpTransport transport = transport(null, 10_000);
    List<String> received = new CopyOnWriteArrayList<>();
    transport.receiveRepliesWith((from, frames) -> {
      received.add(from);
      if (received.size() == 1) {
        throw new IllegalStateException("planted bug in the node's receive");
      }
    });

    transport.send(peer.address(), frame("w1"));
    Http.await(WAIT, "the first answer's frames are handed on", () -> received.size() == 1);
    transport.send(peer.address(), frame("w2"));

    Http.await(WAIT, "the second answer's frames are handed on too", () -> received.size() == 2);
  }

  @Test
  void requestNamesTheSenderAndCarriesTheSecret() {
    FakePeer peer = peer(FakePeer.NO_CONTENT);
    HttpTransport transport = transport("s3cret", 10_000);

    transport.send(peer.address(), frame("hello"));

    awaitSettled(transport, peer, 1);
    FakePeer.Request request = peer.requests().get(0);
    assertThat(request.requestLine()).isEqualTo("POST " + HttpTransport.PATH + " HTTP/1.1");
    assertThat(request.headers())
        .containsEntry("host", peer.address())
        .containsEntry("content-type", "application/octet-stream")
        .containsEntry(HttpTransport.FROM_HEADER.toLowerCase(), self)
        .containsEntry(HttpTransport.REPLIES_HEADER.toLowerCase(), "1")
        .containsEntry(HttpTransport.SECRET_HEADER.toLowerCase(), "s3cret");
    assertThat(FakePeer.texts(request.frames())).containsExactly("hello");
  }

  @Test
  void framesCarriedBackInTheAnswerReachTheReceiver() {
    FakePeer peer = peerAnsweringWith(frame("ack-1"), frame("ack-2"));
    HttpTransport transport = transport(null, 10_000);
    List<String> received = new CopyOnWriteArrayList<>();
    transport.receiveRepliesWith((from, frames) -> received.add(from + " " + FakePeer.texts(frames)));

    transport.send(peer.address(), frame("write"));

    Http.await(WAIT, "the carried-back frames arrive", () -> !received.isEmpty());
    assertThat(received).containsExactly(peer.address() + " [ack-1, ack-2]");
  }

  @Test
  void nextSendArrivesAfterThePeerClosedAnIdleConnection() {
    // answers, then closes the connection without saying so, as a server's idle timeout does
    FakePeer peer = peer((request, out) -> {
      FakePeer.NO_CONTENT.answer(request, out);
      return false;
    });
    HttpTransport transport = transport(null, 10_000);
    transport.send(peer.address(), frame("a"));
    awaitSettled(transport, peer, 1);
    Http.await(WAIT, "the peer closed the connection", () -> peer.finishedConnections() == 1);

    transport.send(peer.address(), frame("b"));

    awaitSettled(transport, peer, 2);
    assertThat(peer.frames()).containsExactly("a", "b");
  }

  @Test
  void requestOnAReusedConnectionThePeerClosedIsSentOnceMoreOnANewOne() {
    // the peer closes the connection as the second request comes, without handling it: the
    // race between a server's idle timeout and a request on a kept-alive connection
    FakePeer peer = peer((request, out) -> request.index() == 0 && FakePeer.NO_CONTENT.answer(request, out));
    HttpTransport transport = transport(null, 10_000);
    transport.send(peer.address(), frame("a"));
    awaitSettled(transport, peer, 1);

    transport.send(peer.address(), frame("b"));

    awaitSettled(transport, peer, 3);
    assertThat(peer.requests()).extracting(r -> r.connection() + "/" + r.index() + " " + FakePeer.texts(r.frames()))
        .containsExactly("0/0 [a]", "0/1 [b]", "1/0 [b]");
  }

  @Test
  void unreachablePeerDoesNotHoldSendsAndIsReachedOnceItListens() {
    int port = TestCluster.freePort();
    String address = "127.0.0.1:" + port;
    HttpTransport transport = transport(null, 10_000);
    for (int i = 0; i < 1000; i++) {
      transport.send(address, frame("early-" + i));
    }

    FakePeer peer = new FakePeer(port, FakePeer.NO_CONTENT);
    toClose.add(peer);
    int[] probes = {0};
    // frames waiting when a connect fails are dropped with it: probe until one gets through
    Http.await(WAIT, "a probe reaches the peer", () -> {
      transport.send(address, frame("probe-" + probes[0]++));
      return peer.frames().stream().anyMatch(f -> f.startsWith("probe-"));
    });
    List<String> later = IntStream.range(0, 50).mapToObj(i -> "later-" + i).toList();
    later.forEach(f -> transport.send(address, frame(f)));

    Http.await(WAIT, "the later frames arrive", () -> peer.frames().containsAll(later));
  }

  @Test
  void closeStopsTheSelectorThreadAndLaterSendsAreDropped() {
    FakePeer peer = peer(FakePeer.NO_CONTENT);
    HttpTransport transport = transport(null, 10_000);
    transport.send(peer.address(), frame("a"));
    awaitSettled(transport, peer, 1);
    Thread selector = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("kvs-transport-" + self)).findFirst().orElseThrow();

    transport.close();

    Http.await(WAIT, "the selector thread ends", () -> !selector.isAlive());
    transport.send(peer.address(), frame("b"));
    assertThat(transport.requestsInFlight(peer.address())).isZero();
    Http.await(WAIT, "the peer sees its connection closed", () -> peer.finishedConnections() == 1);
    assertThat(peer.frames()).containsExactly("a");
  }
}
