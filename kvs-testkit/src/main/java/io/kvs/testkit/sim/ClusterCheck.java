package io.kvs.testkit.sim;

import io.kvs.core.Reply;
import io.kvs.testkit.check.CheckResult;
import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import io.kvs.testkit.history.History;
import io.kvs.testkit.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * {@link SimCluster#check()}: heals the network, lets the cluster settle, reads every written
 * key once more, then runs every checker: G6 membership, G5 placement and G2 convergence on
 * the nodes, G1 session causality and G3 durability on the recorded history.
 */
final class ClusterCheck {
  /** Longest virtual time the healed cluster may take to converge. */
  static final long SETTLE_LIMIT_MS = 120_000;
  private static final long SETTLE_POLL_MS = 100;

  private ClusterCheck() {}

  static CheckResult run(SimCluster cluster, SessionRecorder recorder) {
    History history = recorder.history();
    cluster.network().heal();
    history.event(cluster.nowMs(), "check: healed every cut link");
    boolean settled = cluster.runUntil(() -> Simulation.clusterViolations(cluster).isEmpty(),
        SETTLE_LIMIT_MS, SETTLE_POLL_MS);
    List<Violation> found = new ArrayList<>();
    if (!settled) {
      found.addAll(Simulation.clusterViolations(cluster));
    }
    if (recorder.enabled()) {
      if (settled) {
        finalReads(cluster, history);
      }
      List<Operation> ops = history.operations();
      found.addAll(new SessionCausalityChecker().check(ops));
      if (settled) {
        // "readable after heal" means something only once the cluster has converged
        found.addAll(new DurabilityChecker().check(ops));
      }
    }
    history.event(cluster.nowMs(), "check: " + found.size() + " violations");
    return new CheckResult(cluster.seed(), found, history.operations().size(), history.recentEvents());
  }

  /** One read of every key a session wrote, by a fresh session, for the durability check. */
  private static void finalReads(SimCluster cluster, History history) {
    TreeSet<String> keys = new TreeSet<>();
    history.operations().stream().filter(Operation::mayHaveWritten).forEach(op -> keys.add(op.key()));
    SimSession reader = cluster.session();
    for (String key : keys) {
      Reply r = reader.get(key);
      if (!(r instanceof Reply.Kv) && !(r instanceof Reply.KeyMissing)) {
        history.event(cluster.nowMs(), "check: the final read of " + key + " failed: " + r);
      }
    }
  }
}
