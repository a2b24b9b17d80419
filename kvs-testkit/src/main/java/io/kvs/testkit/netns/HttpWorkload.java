package io.kvs.testkit.netns;

import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Closed-loop client sessions over HTTP, one thread each: every session sends one request at a
 * time to a random live node (50% PUT of a unique value, 40% GET, 10% DELETE of a random key),
 * passes back its latest metadata, retries nothing, pauses a few milliseconds, and records every
 * operation in the {@link History} (see {@link ClientSession} for the outcome classes).
 */
public final class HttpWorkload implements AutoCloseable {
  private final History history;
  private final LongSupplier clockMs;
  private final IntFunction<List<String>> targets;
  private final List<String> keys;
  private final List<ClientSession> sessions = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private final long seed;
  private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
  private final List<String> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());

  /**
   * @param history where operations go
   * @param clockMs the run's common clock
   * @param targets the nodes a request may go to, asked before every request
   * @param keys the key space
   * @param sessionCount sessions (threads); numbered {@code 0..sessionCount-1}
   * @param timeout the request timeout
   * @param seed seeds each session's randomness
   */
  public HttpWorkload(History history, LongSupplier clockMs, Supplier<List<String>> targets, List<String> keys,
                      int sessionCount, Duration timeout, long seed) {
    this(history, clockMs, session -> targets.get(), keys, sessionCount, timeout, seed);
  }

  /**
   * A workload whose sessions may each use their own set of nodes (for example some sessions
   * pinned to one side of a partition).
   *
   * @param targetsOfSession the nodes session {@code s} may send to, asked before every request
   */
  public HttpWorkload(History history, LongSupplier clockMs, IntFunction<List<String>> targetsOfSession,
                      List<String> keys, int sessionCount, Duration timeout, long seed) {
    this.history = history;
    this.clockMs = clockMs;
    this.targets = targetsOfSession;
    this.keys = List.copyOf(keys);
    this.seed = seed;
    for (int s = 0; s < sessionCount; s++) {
      sessions.add(new ClientSession(s, history, clockMs, timeout));
    }
  }

  /** {@code key0 .. key<n-1>}. */
  public static List<String> keys(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add("key" + i);
    }
    return out;
  }

  /** The sessions (their metadata stays available after {@link #stop()}). */
  public List<ClientSession> sessions() {
    return sessions;
  }

  /** The key space. */
  public List<String> keys() {
    return keys;
  }

  /** Starts every session's thread. */
  public synchronized void start() {
    if (!running.compareAndSet(false, true)) {
      throw new IllegalStateException("already running");
    }
    for (ClientSession s : sessions) {
      Thread t = new Thread(() -> loop(s, new Random(seed * 1_000_003L + s.id())), "workload-s" + s.id());
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void loop(ClientSession session, Random random) {
    while (running.get()) {
      List<String> nodes = targets.apply(session.id());
      if (nodes.isEmpty()) {
        pause(50);
        continue;
      }
      String node = nodes.get(random.nextInt(nodes.size()));
      String key = keys.get(random.nextInt(keys.size()));
      int roll = random.nextInt(10);
      ClientSession.Outcome o = roll < 5 ? session.putNext(node, key)
          : roll < 9 ? session.get(node, key) : session.delete(node, key);
      count(o);
      pause(5 + random.nextInt(20));
    }
  }

  private void count(ClientSession.Outcome o) {
    counters.computeIfAbsent(o.op().kind() + " " + (o.answer() == null ? "no-answer" : Integer.toString(o.status())),
        k -> new AtomicLong()).incrementAndGet();
    if (o.unexpected()) {
      unexpected.add(o.toString());
    }
  }

  private static void pause(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Asks every session to stop and waits (up to 30 s) for its current request to end. */
  public synchronized void stop() {
    running.set(false);
    for (Thread t : threads) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      if (t.isAlive()) {
        throw new IllegalStateException("session thread " + t.getName() + " did not stop within 30 s");
      }
    }
    threads.clear();
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /** Requests by "KIND status" ({@code no-answer} for timeouts and connection errors). */
  public Map<String, Long> statusCounts() {
    Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Answers outside the contract (5xx other than 503) seen by the sessions. */
  public List<String> unexpectedAnswers() {
    synchronized (unexpected) {
      return List.copyOf(unexpected);
    }
  }

  /**
   * Reads every key once through a fresh session (no metadata) at a node chosen by
   * {@code nodeForKey}, repeating a read (bounded by {@code timeout} per key) until it is
   * answered 200 or 404; the last read of each key is what the durability checker reads.
   *
   * @param sessionId the fresh session's number (must differ from the workload's)
   * @return the fresh session
   */
  public static ClientSession finalReads(History history, LongSupplier clockMs, int sessionId, List<String> keys,
                                         java.util.function.Function<String, String> nodeForKey, Duration timeout) {
    ClientSession s = new ClientSession(sessionId, history, clockMs, Duration.ofSeconds(5));
    for (String key : keys) {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        s.setMetadata(null);
        ClientSession.Outcome o = s.get(nodeForKey.apply(key), key);
        if (o.op().status() == Operation.Status.OK) {
          break;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("final read of " + key + " not answered 200/404 within " + timeout + ": " + o);
        }
        pause(100);
      }
    }
    return s;
  }
}
