package io.kvs.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * The closed-loop load generator: C sessions per side, each with one keep-alive HTTP/1.1
 * connection, each sending its next request as soon as the previous answer arrived. Two
 * drivers share the request and response code: {@code nio} ({@link NioDriver}: a few selector
 * threads, like wrk) and {@code blocking} ({@link BlockingDriver}: one thread per session).
 *
 * <p>With two sides (baseline and kvs) the run interleaves them in slices (one second by
 * default, see {@link SliceScheduler}): only one side's sessions send at a time, and each
 * side's figures cover its own slices. Both sides thus see the same background load, which a
 * shared machine makes vary from one second to the next.
 */
final class LoadClient {
  /** One system under test: a label, its addresses and the path prefix of its keys. */
  record Side(String label, List<String> targets, String pathPrefix) {}

  /** The workload. */
  record Spec(double getRatio, int keys, int valueSize, int concurrency, double warmupSec, double durationSec,
              String client, int clientThreads, int sliceMs) {}

  static final int CORES = Runtime.getRuntime().availableProcessors();
  /** How long a driver thread may take to finish once the run stopped. */
  private static final long DRIVER_JOIN_TIMEOUT_MS = 5000;

  private final Spec spec;
  private final PrintStream out;
  private final List<SideRecording> sides = new ArrayList<>();
  private final RunControl control = new RunControl();
  private final List<NioDriver> nioDrivers = new ArrayList<>();

  private LoadClient(Spec spec, List<Side> sides, PrintStream out) {
    this.spec = spec;
    this.out = out;
    for (Side side : sides) {
      this.sides.add(new SideRecording(side, this.sides.size()));
    }
  }

  /**
   * Runs the warm-up, then the measured period, printing a progress line each slice (each
   * second); one result per side, in order.
   */
  static List<BenchResult> run(Spec spec, List<Side> sides, PrintStream out) {
    return new LoadClient(spec, sides, out).run();
  }

  /** {@code count} key names, {@code k0}, {@code k1}, ..., zero-padded to one width. */
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

  /** CPU time this JVM used so far (every thread: client, baseline and nodes); -1 if unknown. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
  }

  /** Nanoseconds as milliseconds. */
  static double ms(long nanos) {
    return nanos / 1e6;
  }

  private List<BenchResult> run() {
    List<Thread> threads = createDriverThreads();
    threads.forEach(Thread::start);
    new SliceScheduler(spec, sides, control, out, this::wakeNioDrivers).run();
    control.stop();
    wakeNioDrivers();
    for (Thread thread : threads) {
      try {
        thread.join(DRIVER_JOIN_TIMEOUT_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    List<BenchResult> results = new ArrayList<>();
    for (SideRecording side : sides) {
      results.add(side.result(spec));
    }
    return results;
  }

  /** The sessions of every side, each given to a driver: its own thread, or one of the nio threads. */
  private List<Thread> createDriverThreads() {
    String[] keys = keys(spec.keys());
    byte[] value = value(spec.valueSize());
    boolean blocking = "blocking".equals(spec.client());
    int nioThreads = Math.max(1, Math.min(spec.clientThreads(), spec.concurrency()));
    List<List<NioConnection>> connectionsByThread = new ArrayList<>();
    for (int t = 0; t < nioThreads; t++) {
      connectionsByThread.add(new ArrayList<>());
    }
    List<Thread> threads = new ArrayList<>();
    for (SideRecording side : sides) {
      createSessions(side, keys, value);
      for (int i = 0; i < side.sessions.size(); i++) {
        ClientSession session = side.sessions.get(i);
        if (blocking) {
          threads.add(thread("bench-client-" + side.side.label() + "-" + i,
              new BlockingDriver(side, session, control)));
        } else {
          connectionsByThread.get(i % nioThreads).add(new NioConnection(side, session, control));
        }
      }
    }
    if (!blocking) {
      for (int t = 0; t < nioThreads; t++) {
        NioDriver driver = new NioDriver(connectionsByThread.get(t), control);
        nioDrivers.add(driver);
        threads.add(thread("bench-client-" + t, driver));
      }
    }
    return threads;
  }

  /** C sessions for {@code side}, spread over its targets, with the same seeds on every side. */
  private void createSessions(SideRecording side, String[] keys, byte[] value) {
    List<String> targets = side.side.targets();
    TreeMap<String, byte[][][]> headsByTarget = new TreeMap<>();
    for (int i = 0; i < spec.concurrency(); i++) {
      String target = targets.get(i % targets.size());
      byte[][][] heads = headsByTarget.computeIfAbsent(target,
          t -> ClientSession.heads(side.side.pathPrefix(), t, keys));
      side.sessions.add(new ClientSession(target, heads, value, spec.getRatio(), true, 0x5eedL * 31 + i));
    }
  }

  private void wakeNioDrivers() {
    nioDrivers.forEach(NioDriver::wakeup);
  }

  private static Thread thread(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    return thread;
  }
}
