package io.kvs.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/** The long run: {@code mvn -Psim verify -Dkvs.sim.seeds=5000 [-Dkvs.sim.first=1]}. */
@EnabledIfSystemProperty(named = "kvs.sim.seeds", matches = "\\d+")
class LongSimulationTest {
  @Test
  void manySeedsKeepEveryGuarantee() {
    long seeds = Long.getLong("kvs.sim.seeds");
    long first = Long.getLong("kvs.sim.first", 1);
    assertThat(SimulationMain.runMany(first, seeds)).as("failing seeds").isZero();
  }
}
