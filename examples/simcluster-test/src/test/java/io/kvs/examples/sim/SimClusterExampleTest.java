package io.kvs.examples.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.Node;
import io.kvs.testkit.check.ConvergenceChecker;
import io.kvs.testkit.check.DurabilityChecker;
import io.kvs.testkit.check.MembershipChecker;
import io.kvs.testkit.check.PlacementChecker;
import io.kvs.testkit.check.SessionCausalityChecker;
import io.kvs.testkit.check.Violation;
import io.kvs.testkit.history.History;
import io.kvs.testkit.sim.SimCluster;
import io.kvs.testkit.sim.SimSession;
import io.kvs.testkit.sim.Simulation;
import io.kvs.testkit.sim.Workload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a user's own tests do with kvs-testkit: drive a simulated 6-node, 2-shard cluster
 * through faults on virtual time, then check the recorded history and the nodes' state with
 * the testkit's checkers. Everything is seeded: a failure replays exactly.
 */
class SimClusterExampleTest {
  private static final long SEED = 42;

  @Test
  void aWriteSurvivesAPartitionAndACrash() {
    SimCluster cluster = SimCluster.builder(SEED).nodes(6).shards(2).build();
    SimSession alice = cluster.session();
    alice.putJson("x", "\"hello\"");
    List<String> nodes = cluster.addresses();
    cluster.network().partition(List.of(nodes.get(0)), nodes.subList(1, 6));
    cluster.crash(nodes.get(3));
    cluster.run(10_000);
    assertThat(alice.getJson("x")).isEqualTo("\"hello\"");
  }

  @Test
  void sessionsUnderFaultsKeepEveryGuarantee() {
    SimCluster cluster = SimCluster.builder(SEED).nodes(6).shards(2).build();
    History history = new History();
    Workload workload = new Workload(cluster, history, new SplittableRandom(SEED), 4, 8);
    cluster.run(3_000);
    workload.start();
    cluster.run(5_000);
    List<String> nodes = cluster.addresses();
    cluster.network().partition(nodes.subList(0, 2), nodes.subList(2, 6));
    cluster.run(5_000);
    cluster.network().heal();
    cluster.crash(nodes.get(4));
    cluster.run(5_000);
    workload.stop();
    assertThat(cluster.runUntil(workload::idle, SimCluster.REQUEST_LIMIT_MS)).as("every request answered").isTrue();
    assertThat(cluster.runUntil(() -> stateViolations(cluster).isEmpty(), 60_000, 100))
        .as("the live nodes converge: %s", stateViolations(cluster)).isTrue();
    workload.finalReads(4);

    List<Violation> violations = new ArrayList<>(new SessionCausalityChecker().check(history.operations()));
    violations.addAll(new DurabilityChecker().check(history.operations()));
    assertThat(history.operations()).hasSizeGreaterThan(100);
    assertThat(violations).as("violations").isEmpty();
  }

  @Test
  void theTestkitsOwnRandomizedRunPassesForAFewSeeds() {
    for (long seed = 1; seed <= 3; seed++) {
      Simulation.Result result = Simulation.run(seed);
      assertThat(result.ok()).as(result.report()).isTrue();
    }
  }

  /** Membership first: placement and convergence mean little while the views still differ. */
  private static List<Violation> stateViolations(SimCluster cluster) {
    List<Node> live = cluster.liveAddresses().stream().map(cluster::node).toList();
    List<Violation> violations = new ArrayList<>(new MembershipChecker().check(live, cluster.liveAddresses()));
    if (violations.isEmpty()) {
      violations.addAll(new PlacementChecker().check(live));
      violations.addAll(new ConvergenceChecker().check(live));
    }
    return violations;
  }
}
