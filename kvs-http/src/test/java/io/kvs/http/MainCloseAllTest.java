package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.api.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A failure while one node closes neither skips the others nor escapes: on SIGTERM, Main then
 * exits 1 rather than leaving a JVM whose main thread died while Jetty's threads keep it up.
 */
class MainCloseAllTest {
  /** A server that only records being closed, and fails to if asked. */
  private static final class Closing implements KvsServer {
    private final boolean fails;
    boolean closed;

    Closing(boolean fails) {
      this.fails = fails;
    }

    @Override
    public void close() {
      closed = true;
      if (fails) {
        throw new IllegalStateException("planted close failure");
      }
    }

    @Override
    public String address() {
      return "127.0.0.1:1";
    }

    @Override
    public String listenAddress() {
      return address();
    }

    @Override
    public List<String> view() {
      return List.of(address());
    }

    @Override
    public boolean awaitReady(Duration timeout) {
      return true;
    }

    @Override
    public Session openSession() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Session openSession(String token) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void everyServerIsClosedAndAFailureIsReportedNotThrown() {
    Closing first = new Closing(true);
    Closing second = new Closing(false);
    List<KvsServer> servers = new ArrayList<>(List.of(first, second));
    assertThat(Main.closeAll(servers)).isFalse();
    assertThat(first.closed).isTrue();
    assertThat(second.closed).isTrue();
    assertThat(servers).isEmpty();
  }

  @Test
  void cleanClosesReportTrue() {
    assertThat(Main.closeAll(new ArrayList<>(List.of(new Closing(false))))).isTrue();
  }
}
