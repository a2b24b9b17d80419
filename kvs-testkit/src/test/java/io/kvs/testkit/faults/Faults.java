package io.kvs.testkit.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import io.kvs.testkit.netns.ClientSession;
import io.kvs.testkit.netns.HttpConvergence;
import io.kvs.testkit.netns.HttpWorkload;
import io.kvs.testkit.netns.NetnsCluster;
import io.kvs.testkit.netns.NetnsNetwork;
import io.kvs.testkit.netns.NetnsNode;
import io.kvs.testkit.process.NodeProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;

/** Shared steps of the real-fault scenarios: setup, timed phases, checks and the printed figures. */
final class Faults {
  /** Request timeout of client sessions. */
  static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(6);
  /** How long a healed cluster may take to converge. */
  static final Duration CONVERGE_WITHIN = Duration.ofSeconds(60);
  static final HttpConvergence PROBE = new HttpConvergence(Duration.ofSeconds(4));

  private Faults() {
  }

  /** Skips (one line) unless this machine can run namespace tests. */
  static void assumeNetns() {
    Optional<String> reason = NetnsNetwork.unsupportedReason();
    reason.ifPresent(r -> log("SKIPPED real-fault test: %s", r));
    Assumptions.assumeTrue(reason.isEmpty(), () -> "real-fault tests skipped: " + reason.orElse(""));
  }

  static void log(String format, Object... args) {
    System.out.printf("[faults] " + format + "%n", args);
    System.out.flush();
  }

  /** A cluster of {@code slots} namespaces with fast failure detection; logs under target/netns-logs. */
  static NetnsCluster cluster(String scenario, int slots) {
    Path jar;
    try {
      jar = NodeProcess.locateJar();
    } catch (IllegalStateException e) {
      return fail(e.getMessage());
    }
    String base = System.getProperty("kvs.testkit.basedir", ".");
    Path logDir = Path.of(base, "target", "netns-logs", scenario);
    return NetnsCluster.create(slots, jar, logDir, NetnsCluster.FAST_TIMINGS);
  }

  /** Starts the nodes with SHARD_COUNT and waits until views and shards agree. */
  static void startSharded(NetnsCluster c, List<String> nodes, int shards) {
    long t0 = System.nanoTime();
    c.startAll(nodes, shards);
    c.awaitReady(nodes, Duration.ofSeconds(90));
    HttpConvergence.Converged conv = PROBE.awaitConverged(nodes, List.of(), shards, Duration.ofSeconds(60));
    log("%d nodes up and agreed on %s in %d ms (pids %s)", nodes.size(), conv.snapshot().layout(),
        (System.nanoTime() - t0) / 1_000_000, nodes.stream().map(a -> Long.toString(c.node(a).pid())).toList());
  }

  /** Lets the workload run for a fixed time (a workload phase, not a wait for a state). */
  static void runFor(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Records a fault in the history's recent events and prints it. */
  static void event(NetnsCluster c, History h, String what) {
    h.event(c.nowMs(), what);
    log("t=%d ms %s", c.nowMs(), what);
  }

  /**
   * After convergence, every session reads every key with its own metadata at a random live node
   * (recorded, so G1 checks them); returns the 503s seen.
   */
  static int sessionSweep(HttpWorkload w, List<String> nodes, long seed) {
    Random r = new Random(seed);
    int unavailable = 0;
    for (ClientSession s : w.sessions()) {
      for (String k : w.keys()) {
        ClientSession.Outcome o = s.get(nodes.get(r.nextInt(nodes.size())), k);
        if (o.status() != 200 && o.status() != 404) {
          unavailable++;
          log("after convergence, session %d: %s", s.id(), o);
        }
      }
    }
    return unavailable;
  }

  /** Final reads of every key through a fresh session, at the node {@code nodeForKey} names. */
  static void finalReads(NetnsCluster c, History h, HttpWorkload w, Function<String, String> nodeForKey) {
    HttpWorkload.finalReads(h, c::nowMs, 1000, w.keys(), nodeForKey, Duration.ofSeconds(20));
  }

  /** The figures of a run. */
  static final class Figures {
    final String scenario;
    int g1;
    int lost;
    long convergeMs = -1;
    final List<String> extra = new ArrayList<>();

    Figures(String scenario) {
      this.scenario = scenario;
    }
  }

  /**
   * Runs G1 and G3 on the history, prints every violation and the scenario's figures, and fails
   * on any violation.
   */
  static Figures checkAndReport(Figures f, History h, HttpWorkload w) {
    List<Operation> ops = h.operations();
    List<Violation> g1 = new SessionCausalityChecker().check(ops);
    List<Violation> g3 = new DurabilityChecker().check(ops);
    g1.forEach(v -> log("%s", v.report(0, h.recentEvents())));
    g3.forEach(v -> log("%s", v.report(0, h.recentEvents())));
    f.g1 = g1.size();
    f.lost = g3.size();
    long acked = ops.stream().filter(o -> o.kind() != Operation.Kind.GET && o.status() == Operation.Status.OK).count();
    long unavailable = ops.stream().filter(o -> o.reply() != null && o.reply().startsWith("503")).count();
    long info = ops.stream().filter(o -> o.status() == Operation.Status.INFO).count();
    log("== %s: operations=%d, acknowledged writes=%d, lost writes=%d, G1 violations=%d, "
            + "time to converge after heal=%d ms, 503s seen=%d, outcome unknown=%d%s",
        f.scenario, ops.size(), acked, f.lost, f.g1, f.convergeMs, unavailable, info,
        f.extra.isEmpty() ? "" : ", " + String.join(", ", f.extra));
    List<Operation> noAnswer = ops.stream().filter(o -> o.reply() != null && o.reply().startsWith("no answer")).toList();
    if (!noAnswer.isEmpty()) {
      Map<String, Long> kinds = new java.util.TreeMap<>();
      noAnswer.forEach(o -> kinds.merge(o.reply().replaceAll("[0-9.:/]+", "#"), 1L, Long::sum));
      log("   requests without answer (%d) by error: %s", noAnswer.size(), kinds);
      noAnswer.stream().limit(3).forEach(o -> log("     e.g. %s", o));
    }
    if (w != null) {
      log("   requests by status: %s", w.statusCounts());
      if (!w.unexpectedAnswers().isEmpty()) {
        log("   answers outside the contract (%d), first: %s", w.unexpectedAnswers().size(),
            w.unexpectedAnswers().subList(0, Math.min(5, w.unexpectedAnswers().size())));
      }
    }
    assertEquals(List.of(), g1.stream().map(Violation::message).toList(), "G1 session causality violations");
    assertEquals(List.of(), g3.stream().map(Violation::message).toList(), "G3 lost acknowledged writes");
    if (w != null) {
      assertEquals(List.of(), w.unexpectedAnswers(), "answers outside the contract (5xx other than 503)");
    }
    return f;
  }

  /** Log lines of every JVM started that contain one of {@code needles} (for reports). */
  static List<String> logLines(NetnsCluster c, String... needles) {
    List<String> out = new ArrayList<>();
    for (NetnsNode n : c.allStarted()) {
      for (String line : n.logLines()) {
        for (String needle : needles) {
          if (line.contains(needle)) {
            out.add(n.logFile().getFileName() + ": " + line);
            break;
          }
        }
      }
    }
    return out;
  }

  /** Prints the WARN/ERROR lines of every node log (at most {@code max}). */
  static void printNodeWarnings(NetnsCluster c, int max) {
    List<String> lines = logLines(c, " WARN ", " ERROR ", "Exception");
    if (!lines.isEmpty()) {
      log("node log warnings/errors (%d, first %d):", lines.size(), Math.min(max, lines.size()));
      lines.stream().limit(max).forEach(l -> log("   %s", l));
    }
  }
}
