package io.kvs.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class DeterminismTest {
  private static List<String> run(long seed) {
    SimCluster cluster = SimCluster.builder(seed).build().tracing();
    cluster.network().delays(1, 20).faults(0.05, 0.05);
    SimSession s = cluster.session();
    cluster.run(3_000);
    for (int i = 0; i < 30; i++) {
      s.putJson("k" + (i % 5), Integer.toString(i));
      s.get("k" + ((i + 2) % 5));
    }
    cluster.crash(cluster.addresses().get(1));
    cluster.run(5_000);
    cluster.restart(cluster.addresses().get(1));
    cluster.run(5_000);
    return cluster.trace();
  }

  private static List<io.kvs.core.Reply> replies(long seed) {
    SimCluster cluster = SimCluster.builder(seed).build();
    cluster.network().delays(1, 20);
    SimSession s = cluster.session();
    List<io.kvs.core.Reply> replies = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      replies.add(s.put("k" + (i % 4), i));
      replies.add(s.get("k" + ((i + 1) % 4)));
    }
    return replies;
  }

  @Test
  void twoIdenticalRunsGiveEqualReplies() {
    List<io.kvs.core.Reply> first = replies(99);
    assertThat(first).hasAtLeastOneElementOfType(io.kvs.core.Reply.Kv.class);
    assertThat(replies(99)).isEqualTo(first);
    assertThat(replies(100)).isNotEqualTo(first);
  }

  @Test
  void theSameSeedGivesTheSameHistoryByteForByte() {
    SimOptions options = SimOptions.fromSeed(4242);
    Simulation.Result first = Simulation.run(options, true);
    Simulation.Result second = Simulation.run(options, true);
    assertThat(first.history()).hasSizeGreaterThan(100);
    assertThat(String.join("\n", second.history().stream().map(Object::toString).toList()))
        .isEqualTo(String.join("\n", first.history().stream().map(Object::toString).toList()));
    assertThat(second.trace()).isEqualTo(first.trace());
    assertThat(second.faults()).isEqualTo(first.faults()).isNotEmpty();
    Simulation.Result other = Simulation.run(SimOptions.fromSeed(4243), false);
    assertThat(other.history()).isNotEqualTo(first.history());
  }

  @Test
  void theSameSeedReplaysTheSameRun() {
    List<String> first = run(77);
    assertThat(first).hasSizeGreaterThan(1000);
    assertThat(run(77)).isEqualTo(first);
    assertThat(run(78)).isNotEqualTo(first);
  }
}
