package io.kvs.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import java.util.stream.Stream;

/**
 * A fixed set of seeds with every fault enabled, run on every build, plus the seeds that once
 * found bugs. {@code -Dkvs.sim.seed=N} replays one seed with a full trace instead.
 */
class SimulationSeedsTest {
  /** Seeds that found bugs, kept as regression tests. */
  private static final long[] REGRESSIONS = {
    53, // view delete and re-add left a shard with one member
    68, // the same, via add-member of a re-added node
    14, // a re-add answered "already present" by a node that had not heard of the delete
    241, // a read's metadata did not cover a version applied out of order
    36, // a node deleted from the view and re-added reused its write counter (dots)
    1370, // a reshard's membership snapshot overruled a concurrent view re-add
    2678, // a relayed write repeated to a restarted member was executed twice
    2912, // the same, after a crash during a long forwarded write
    4470, // two concurrent reshards both collected a node's data and both installed
    5440, // the nemesis crashed the last member of a shard while the other was deleted from the view
    5460, // the same (two faults at once, outside the fault model)
    10594, // a member refused a relayed delete before catching up, then ran a late copy of it
    3533, // a coordinator showed its write to another session before any peer held it, then crashed
  };

  private static final int FIXED_SEEDS = 40;
  /** Seeds run again with data directories, power loss and disk faults. */
  private static final int DURABLE_SEEDS = 30;

  @TestFactory
  Stream<DynamicTest> fixedSeedsKeepEveryGuarantee() {
    Assumptions.assumeTrue(System.getProperty("kvs.sim.seed") == null, "replaying one seed instead");
    return Stream.concat(LongStream.rangeClosed(1, FIXED_SEEDS).boxed(), LongStream.of(REGRESSIONS).boxed())
        .map(seed -> DynamicTest.dynamicTest("seed " + seed, () -> {
          Simulation.Result r = Simulation.run(seed);
          assertThat(r.ok()).as(r.report()).isTrue();
        }));
  }

  @TestFactory
  Stream<DynamicTest> durableSeedsKeepEveryGuaranteeThroughPowerLoss() {
    Assumptions.assumeTrue(System.getProperty("kvs.sim.seed") == null, "replaying one seed instead");
    return LongStream.rangeClosed(1, DURABLE_SEEDS).boxed()
        .map(seed -> DynamicTest.dynamicTest("durable seed " + seed, () -> {
          Simulation.Result r = Simulation.runDurable(seed);
          assertThat(r.ok()).as(r.report()).isTrue();
        }));
  }

  @Test
  void replayOneSeedWithATrace() {
    String seed = System.getProperty("kvs.sim.seed");
    Assumptions.assumeTrue(seed != null, "set -Dkvs.sim.seed=N to replay a seed");
    assertThat(SimulationMain.replay(Long.parseLong(seed))).isTrue();
  }
}
