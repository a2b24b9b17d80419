package io.kvs.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.locks.LockSupport;

/**
 * The {@code blocking} driver: one thread per session, one blocking socket, the simplest
 * client there is, to check the {@code nio} driver's figures against.
 */
final class BlockingDriver implements Runnable {
  /** Short, so that a session starts soon after its side's slice begins. */
  private static final long INACTIVE_PARK_NANOS = 200_000;
  /** A failed connection is opened again after this pause, so that a dead target is not hammered. */
  private static final long RETRY_PAUSE_MS = 50;

  private final SideRecording side;
  private final ClientSession session;
  private final RunControl control;
  private final RawHttp.Response response = new RawHttp.Response();
  private final BlockingHttp.ResponseReader reader = new BlockingHttp.ResponseReader(8192);
  private Socket socket;
  private InputStream input;
  private OutputStream output;

  BlockingDriver(SideRecording side, ClientSession session, RunControl control) {
    this.side = side;
    this.session = session;
    this.control = control;
  }

  /** Sends the session's requests one after the other while its side is active, until the run stops. */
  @Override
  public void run() {
    while (!control.stopping()) {
      if (!control.isActive(side.index)) {
        LockSupport.parkNanos(INACTIVE_PARK_NANOS);
        continue;
      }
      try {
        exchange();
      } catch (IOException | RuntimeException e) {
        side.recordFailure(session, control.measuring());
        closeSocket();
        pause(RETRY_PAUSE_MS);
      }
    }
    closeSocket();
  }

  private void exchange() throws IOException {
    if (socket == null) {
      socket = BlockingHttp.connect(session.target);
      input = socket.getInputStream();
      output = socket.getOutputStream();
    }
    session.next();
    long sentAtNanos = System.nanoTime();
    output.write(session.buffer(), 0, session.length());
    output.flush();
    reader.read(input, response);
    side.recordLatency(sentAtNanos, System.nanoTime());
    session.onResponse(response, control.measuring());
    if (response.close) {
      closeSocket();
    }
  }

  private void closeSocket() {
    BlockingHttp.closeQuietly(socket);
    socket = null;
  }

  private static void pause(long durationMs) {
    try {
      Thread.sleep(durationMs);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
