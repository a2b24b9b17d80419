package io.kvs.testkit.sim;

import io.kvs.core.Node;
import io.kvs.testkit.check.ConvergenceChecker;
import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.MembershipChecker;
import io.kvs.testkit.check.PlacementChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import io.kvs.testkit.history.History;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One seeded run, VOPR style: a safety phase in which clients work while the nemesis injects
 * faults, then a liveness phase in which every fault is healed and the cluster must converge
 * within a bounded virtual time; then every checker runs on the history and the nodes.
 */
public final class Simulation {
  /** What a run found. */
  public record Result(SimOptions options, List<Violation> violations, List<String> lastEvents,
                       long virtualMs, int operations, Map<String, Long> faults, long unavailable,
                       List<String> trace, List<io.kvs.testkit.history.Operation> history) {
    public boolean ok() {
      return violations.isEmpty();
    }

    /** The first violation's report, or a one-line summary. */
    public String report() {
      return ok() ? "seed=" + options.seed() + " ok: " + operations + " ops, " + virtualMs + " ms virtual, faults "
          + faults : violations.get(0).report(options.seed(), lastEvents);
    }
  }

  private Simulation() {}

  public static Result run(long seed) {
    return run(SimOptions.fromSeed(seed), false);
  }

  /** Runs {@code seed} with data directories and disk faults ({@link SimOptions#durableFromSeed}). */
  public static Result runDurable(long seed) {
    return run(SimOptions.durableFromSeed(seed), false);
  }

  public static Result run(SimOptions o, boolean tracing) {
    SimClusterBuilder builder = SimCluster.builder(o.seed()).nodes(o.nodes()).shards(o.shards());
    if (o.durable()) {
      builder.dataDirectories(io.kvs.core.DurabilitySettings.defaults());
    }
    SimCluster cluster = builder.build();
    if (tracing) {
      cluster.tracing();
    }
    SplittableRandom random = new SplittableRandom(o.seed() * 31 + 7);
    History history = new History();
    Workload workload = new Workload(cluster, history, random.split(), o.sessions(), o.keys());
    Nemesis nemesis = new Nemesis(cluster, o, history, random.split());
    cluster.run(3_000);
    workload.start();
    nemesis.start();
    cluster.run(o.safetyMs());
    nemesis.healAll();
    workload.stop();
    history.event(cluster.nowMs(), "healed; liveness phase");
    cluster.runUntil(workload::idle, SimCluster.REQUEST_LIMIT_MS);
    List<Violation> violations = new ArrayList<>();
    if (!workload.idle()) {
      violations.add(new Violation("G4 availability", "a request got no answer within "
          + SimCluster.REQUEST_LIMIT_MS + " ms", List.of()));
    }
    long healedAt = cluster.nowMs();
    boolean converged = cluster.runUntil(() -> clusterViolations(cluster).isEmpty(), o.livenessMs(), 100);
    history.event(cluster.nowMs(), "converged " + converged + " after " + (cluster.nowMs() - healedAt) + " ms");
    if (!converged) {
      violations.addAll(clusterViolations(cluster));
    } else {
      workload.finalReads(o.sessions());
      violations.addAll(new SessionCausalityChecker().check(history.operations()));
      violations.addAll(new DurabilityChecker().check(history.operations()));
    }
    return new Result(o, violations, history.recentEvents(), cluster.nowMs(), history.operations().size(),
        nemesis.injected(), workload.unavailableReplies(), cluster.trace(), history.operations());
  }

  static List<Violation> clusterViolations(SimCluster cluster) {
    List<Node> live = cluster.liveAddresses().stream().map(cluster::node).toList();
    List<Violation> v = new ArrayList<>();
    v.addAll(new MembershipChecker().check(live, cluster.liveAddresses()));
    if (v.isEmpty()) {
      v.addAll(new PlacementChecker().check(live));
      v.addAll(new ConvergenceChecker().check(live));
    }
    return v;
  }
}
