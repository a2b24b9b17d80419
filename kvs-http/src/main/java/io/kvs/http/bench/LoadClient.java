package io.kvs.http.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The closed-loop load generator: C sessions per side, each with one keep-alive HTTP/1.1
 * connection, each sending its next request as soon as the previous answer arrived. Two
 * drivers share the request and response code: {@code nio} (a few selector threads, like wrk)
 * and {@code blocking} (one thread per session).
 *
 * <p>With two sides (baseline and kvs) the run interleaves them in slices (one second by
 * default): only one side's sessions send at a time, and each side's figures cover its own
 * slices. Both sides thus see the same background load, which a shared machine makes vary
 * from one second to the next.
 */
final class LoadClient {
  /** One system under test: a label, its addresses and the path prefix of its keys. */
  record Side(String label, List<String> targets, String pathPrefix) {}

  /** The workload. */
  record Spec(double getRatio, int keys, int valueSize, int concurrency, double warmupSec, double durationSec,
              String client, int clientThreads, int sliceMs) {}

  private final class SideState {
    final Side side;
    final int index;
    final Recorder recorder = new Recorder(3);
    final Histogram total = new Histogram(3);
    final LongAdder failures = new LongAdder();
    final List<ClientSession> sessions = new ArrayList<>();
    long activeNanos;
    long cpuNanos;

    SideState(Side side, int index) {
      this.side = side;
      this.index = index;
    }
  }

  private final Spec spec;
  private final PrintStream out;
  private final List<SideState> sides = new ArrayList<>();
  private final List<NioDriver> drivers = new ArrayList<>();
  private volatile boolean measuring;
  private volatile boolean stopping;
  private volatile int active;

  private LoadClient(Spec spec, List<Side> sides, PrintStream out) {
    this.spec = spec;
    this.out = out;
    for (Side side : sides) {
      this.sides.add(new SideState(side, this.sides.size()));
    }
  }

  /**
   * Runs the warm-up, then the measured period, printing a progress line each slice (each
   * second); one result per side, in order.
   */
  static List<BenchResult> run(Spec spec, List<Side> sides, PrintStream out) {
    return new LoadClient(spec, sides, out).run();
  }

  static String[] keys(int count) {
    String[] keys = new String[count];
    int digits = Math.max(1, Integer.toString(Math.max(0, count - 1)).length());
    for (int i = 0; i < count; i++) {
      keys[i] = "k" + String.format(Locale.ROOT, "%0" + digits + "d", i);
    }
    return keys;
  }

  /** A JSON string value of exactly {@code size} bytes (at least 2). */
  static byte[] value(int size) {
    byte[] v = new byte[Math.max(2, size)];
    Arrays.fill(v, (byte) 'x');
    v[0] = '"';
    v[v.length - 1] = '"';
    return v;
  }

  private List<BenchResult> run() {
    String[] keys = keys(spec.keys());
    byte[] value = value(spec.valueSize());
    List<Thread> threads = new ArrayList<>();
    int drivers = Math.max(1, Math.min(spec.clientThreads(), spec.concurrency()));
    List<List<Conn>> perDriver = new ArrayList<>();
    for (int t = 0; t < drivers; t++) {
      perDriver.add(new ArrayList<>());
    }
    for (SideState s : sides) {
      TreeMap<String, byte[][][]> heads = new TreeMap<>();
      for (int i = 0; i < spec.concurrency(); i++) {
        String target = s.side.targets().get(i % s.side.targets().size());
        byte[][][] h = heads.computeIfAbsent(target, t -> ClientSession.heads(s.side.pathPrefix(), t, keys));
        ClientSession session = new ClientSession(target, h, value, spec.getRatio(), true, 0x5eedL * 31 + i);
        s.sessions.add(session);
        if ("blocking".equals(spec.client())) {
          threads.add(thread("bench-client-" + s.side.label() + "-" + i, () -> blocking(s, session)));
        } else {
          perDriver.get(i % drivers).add(new Conn(s, session));
        }
      }
    }
    if (!"blocking".equals(spec.client())) {
      for (int t = 0; t < drivers; t++) {
        NioDriver driver = new NioDriver(perDriver.get(t));
        this.drivers.add(driver);
        threads.add(thread("bench-client-" + t, driver::run));
      }
    }
    threads.forEach(Thread::start);
    long slice = sides.size() == 1 ? 1_000_000_000L : Math.max(50, spec.sliceMs()) * 1_000_000L;
    long start = System.nanoTime();
    long warmupEnd = start + (long) (spec.warmupSec() * 1e9);
    long end = warmupEnd + (long) (spec.durationSec() * 1e9);
    long sliceStart = start;
    long sliceCpu = processCpuNanos();
    Histogram interval;
    long[] failuresBefore = new long[sides.size()];
    measuring = warmupEnd <= start;
    try {
      while (true) {
        long now = System.nanoTime();
        long phaseEnd = measuring ? end : warmupEnd;
        long wake = Math.min(sliceStart + slice, phaseEnd);
        if (wake > now) {
          Thread.sleep(Math.max(1, (wake - now + 999_999) / 1_000_000L));
          continue;
        }
        SideState s = sides.get(active);
        interval = s.recorder.getIntervalHistogram();
        long cpu = processCpuNanos();
        if (measuring) {
          s.total.add(interval);
          s.activeNanos += now - sliceStart;
          s.cpuNanos += cpu - sliceCpu;
        }
        double seconds = (now - sliceStart) / 1e9;
        long failed = s.failures.sum();
        if (seconds > 0.05) {
          out.printf(Locale.ROOT,
              "[%s] %-6s %5.1fs %9.0f ops/s  p50 %6.2f ms  p99 %7.2f ms  cpu %4.0f%% of %d cores  failures %d%n",
              s.side.label(), measuring ? "run" : "warmup", (now - start) / 1e9, interval.getTotalCount() / seconds,
              ms(interval.getValueAtPercentile(50)), ms(interval.getValueAtPercentile(99)),
              100.0 * (cpu - sliceCpu) / (now - sliceStart) / CORES, CORES, failed - failuresBefore[s.index]);
        }
        failuresBefore[s.index] = failed;
        if (now >= phaseEnd) {
          if (measuring) {
            break;
          }
          for (SideState each : sides) {
            each.recorder.reset();
            each.total.reset();
            each.activeNanos = 0;
          }
          measuring = true;
        }
        active = (active + 1) % sides.size();
        sliceStart = System.nanoTime();
        sliceCpu = processCpuNanos();
        this.drivers.forEach(NioDriver::wakeup);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    measuring = false;
    stopping = true;
    this.drivers.forEach(NioDriver::wakeup);
    for (Thread t : threads) {
      try {
        t.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<BenchResult> results = new ArrayList<>();
    for (SideState s : sides) {
      long[] statuses = new long[600];
      for (ClientSession session : s.sessions) {
        for (int i = 0; i < statuses.length; i++) {
          statuses[i] += session.statuses[i];
        }
      }
      results.add(BenchResult.of(s.side, spec, s.total, statuses, s.activeNanos / 1e9, s.cpuNanos));
    }
    return results;
  }

  static final int CORES = Runtime.getRuntime().availableProcessors();

  /** CPU time this JVM used so far (every thread: client, baseline and nodes); -1 if unknown. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static Thread thread(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    return t;
  }

  private void record(SideState side, long sentAt, long now) {
    side.recorder.recordValue(Math.max(1, now - sentAt));
  }

  // --- blocking driver: one thread per session ---

  private void blocking(SideState side, ClientSession s) {
    RawHttp.Response response = new RawHttp.Response();
    byte[] in = new byte[8192];
    Socket socket = null;
    InputStream input = null;
    OutputStream output = null;
    while (!stopping) {
      if (active != side.index) {
        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        continue;
      }
      try {
        if (socket == null) {
          socket = connect(s.target);
          input = socket.getInputStream();
          output = socket.getOutputStream();
        }
        s.next();
        long sentAt = System.nanoTime();
        output.write(s.buffer(), 0, s.length());
        output.flush();
        int len = 0;
        while (true) {
          if (len == in.length) {
            in = Arrays.copyOf(in, in.length * 2);
          }
          int n = input.read(in, len, in.length - len);
          if (n < 0) {
            throw new IOException("connection closed by the server");
          }
          len += n;
          if (RawHttp.parse(in, len, response)) {
            break;
          }
        }
        record(side, sentAt, System.nanoTime());
        s.onResponse(response, measuring);
        if (response.close) {
          closeQuietly(socket);
          socket = null;
        }
      } catch (IOException | RuntimeException e) {
        fail(side, s);
        closeQuietly(socket);
        socket = null;
        pause(50);
      }
    }
    closeQuietly(socket);
  }

  private void fail(SideState side, ClientSession s) {
    s.onFailure(measuring);
    if (measuring) {
      side.failures.increment();
    }
  }

  static Socket connect(String target) throws IOException {
    int colon = target.lastIndexOf(':');
    Socket socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1))),
        2000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // --- NIO driver: one selector thread for many sessions ---

  /** One session's connection in the NIO driver. */
  private final class Conn {
    final SideState side;
    final ClientSession session;
    final RawHttp.Response response = new RawHttp.Response();
    Selector selector;
    SocketChannel channel;
    SelectionKey key;
    ByteBuffer outgoing;
    byte[] in = new byte[8192];
    int inLength;
    long sentAt;
    long retryAt;
    /** A request is on its way or its answer is awaited. */
    boolean busy;

    Conn(SideState side, ClientSession session) {
      this.side = side;
      this.session = session;
    }

    /** Sends the next request if this side is active and nothing is in flight. */
    void kick() {
      if (busy || stopping || active != side.index) {
        return;
      }
      try {
        if (channel == null) {
          if (System.nanoTime() < retryAt) {
            return;
          }
          open();
        }
        send();
      } catch (IOException | RuntimeException e) {
        failed();
      }
    }

    private void open() throws IOException {
      int colon = session.target.lastIndexOf(':');
      channel = SocketChannel.open();
      channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
      channel.socket().connect(new InetSocketAddress(session.target.substring(0, colon),
          Integer.parseInt(session.target.substring(colon + 1))), 2000);
      channel.configureBlocking(false);
      key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    private void send() throws IOException {
      session.next();
      outgoing = ByteBuffer.wrap(session.buffer(), 0, session.length());
      inLength = 0;
      busy = true;
      sentAt = System.nanoTime();
      flush();
    }

    void flush() throws IOException {
      channel.write(outgoing);
      key.interestOps(outgoing.hasRemaining() ? SelectionKey.OP_WRITE | SelectionKey.OP_READ : SelectionKey.OP_READ);
    }

    void read() throws IOException {
      while (true) {
        if (inLength == in.length) {
          in = Arrays.copyOf(in, in.length * 2);
        }
        int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
        if (n < 0) {
          throw new IOException("connection closed by the server");
        }
        if (n == 0) {
          return;
        }
        inLength += n;
        if (busy && RawHttp.parse(in, inLength, response)) {
          busy = false;
          record(side, sentAt, System.nanoTime());
          session.onResponse(response, measuring);
          if (response.close || stopping) {
            close();
          } else {
            kick();
          }
          return;
        }
      }
    }

    void failed() {
      busy = false;
      fail(side, session);
      close();
      retryAt = System.nanoTime() + 50_000_000L;
    }

    void close() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException e) {
          // closing anyway
        }
        channel = null;
        key = null;
      }
    }
  }

  private final class NioDriver {
    private final List<Conn> conns;
    private volatile Selector selector;

    NioDriver(List<Conn> conns) {
      this.conns = conns;
    }

    void wakeup() {
      Selector s = selector;
      if (s != null) {
        s.wakeup();
      }
    }

    void run() {
      try (Selector sel = Selector.open()) {
        selector = sel;
        conns.forEach(c -> c.selector = sel);
        long stopDeadline = 0;
        while (true) {
          if (stopping) {
            if (stopDeadline == 0) {
              stopDeadline = System.nanoTime() + 2_000_000_000L;
            }
            if (conns.stream().noneMatch(c -> c.busy) || System.nanoTime() > stopDeadline) {
              break;
            }
          } else {
            for (Conn c : conns) {
              c.kick();
            }
          }
          sel.select(50);
          for (SelectionKey key : sel.selectedKeys()) {
            Conn c = (Conn) key.attachment();
            try {
              if (key.isValid() && key.isWritable()) {
                c.flush();
              }
              if (key.isValid() && key.isReadable()) {
                c.read();
              }
            } catch (IOException | RuntimeException e) {
              c.failed();
            }
          }
          sel.selectedKeys().clear();
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      } finally {
        conns.forEach(Conn::close);
      }
    }
  }
}
