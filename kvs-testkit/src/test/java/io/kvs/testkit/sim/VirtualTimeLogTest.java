package io.kvs.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Simulated nodes put their virtual time at the start of each log message. */
class VirtualTimeLogTest {
  @Test
  void aSimulatedNodeLogsItsVirtualTime() {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.err;
    // slf4j-simple (this module's test binding) writes to whatever System.err is at the time
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      // a lone node of one shard warns that nothing replicates it, at every start
      SimCluster cluster = SimCluster.builder(3).nodes(1).shards(1).build();
      cluster.run(1_234);
      cluster.restart(cluster.addresses().get(0));
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).contains("[0 ms virtual] 10.0.0.2:8090 is the only node of its one shard")
        .contains("[1234 ms virtual] 10.0.0.2:8090 is the only node of its one shard");
  }
}
