package io.kvs.testkit.sim;

import static io.kvs.testkit.sim.SimTestSupport.outcome;
import static io.kvs.testkit.sim.SimTestSupport.settle;
import static io.kvs.testkit.sim.SimTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.CausalContext;
import io.kvs.core.KvsError;
import io.kvs.core.Node;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;
import java.util.List;
import io.kvs.core.Reply;
import org.junit.jupiter.api.Test;

class BasicOperationsTest {
  @Test
  void putThenGetThroughEveryNodeSeesTheValue() {
    SimCluster cluster = SimCluster.builder(1).nodes(6).shards(2).build();
    settle(cluster);
    SimSession s = cluster.session();
    assertThat(outcome(s.putJson("x", "\"one\""))).isEqualTo(Reply.KvOutcome.CREATED);
    assertThat(outcome(s.putJson("x", "\"two\""))).isEqualTo(Reply.KvOutcome.REPLACED);
    for (String a : cluster.addresses()) {
      assertThat(text(s.get(a, "x"))).as("read at %s", a).isEqualTo("\"two\"");
    }
    assertThat(outcome(s.delete("x"))).isEqualTo(Reply.KvOutcome.DELETED);
    assertThat(s.get("x")).isInstanceOf(Reply.KeyMissing.class);
    assertThat(s.delete("x")).isInstanceOf(Reply.KeyMissing.class);
    assertThat(outcome(s.putJson("x", "3"))).isEqualTo(Reply.KvOutcome.CREATED);
  }

  @Test
  void shardIdOfAWriteIsTheShardEveryNodeReadsItFrom() {
    SimCluster cluster = SimCluster.builder(2).build();
    settle(cluster);
    SimSession s = cluster.session();
    for (int i = 0; i < 40; i++) {
      Reply.Kv put = (Reply.Kv) s.putJson("key" + i, Integer.toString(i));
      Reply.Kv got = (Reply.Kv) s.get("key" + i);
      assertThat(got.shardId()).isEqualTo(put.shardId());
      assertThat(cluster.node(cluster.addresses().get(0)).shardMap().shardForKey("key" + i)).isEqualTo(put.shardId());
    }
  }

  @Test
  void stoppingANodeAnswersEveryRequestStillWaitingAndEveryLaterOne() {
    SimCluster cluster = SimCluster.builder(4).build();
    settle(cluster);
    String at = cluster.addresses().get(0);
    Node node = cluster.node(at);
    List<String> members = node.shardMap().members(node.shardMap().shardForKey("k"));
    String coordinator = members.get(0);
    cluster.network().partition(List.of(coordinator), members.subList(1, members.size()));
    Reply[] waiting = {null};
    cluster.node(coordinator).submit(new Request.Put("k", "1".getBytes(StandardCharsets.UTF_8), CausalContext.none()),
        r -> waiting[0] = r);
    cluster.run(100);
    assertThat(waiting[0]).as("still waiting for its replicas").isNull();
    cluster.node(coordinator).stop();
    assertThat(waiting[0]).isEqualTo(new Reply.Failed(KvsError.NODE_STOPPED));
    Reply[] later = {null};
    cluster.node(coordinator).submit(new Request.Get("k", CausalContext.none()), r -> later[0] = r);
    assertThat(later[0]).isEqualTo(new Reply.Failed(KvsError.NODE_STOPPED));
  }

  @Test
  void tooLongKeyAndMissingValueAreRefused() {
    SimCluster cluster = SimCluster.builder(3).build();
    settle(cluster);
    SimSession s = cluster.session();
    assertThat(s.putJson("k".repeat(51), "1")).isEqualTo(new Reply.Failed(KvsError.KEY_TOO_LONG));
    assertThat(s.get("k".repeat(51))).isEqualTo(new Reply.Failed(KvsError.KEY_TOO_LONG));
    assertThat(outcome(s.putJson("k".repeat(50), "1"))).isEqualTo(Reply.KvOutcome.CREATED);
  }
}
