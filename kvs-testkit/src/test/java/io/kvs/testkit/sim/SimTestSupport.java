package io.kvs.testkit.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.Reply;
import io.kvs.core.Request;
import java.nio.charset.StandardCharsets;

/** Small helpers shared by the in-process cluster tests. */
final class SimTestSupport {
  private SimTestSupport() {}

  static String text(Reply r) {
    assertThat(r).isInstanceOf(Reply.Kv.class);
    return new String(((Reply.Kv) r).value(), StandardCharsets.UTF_8);
  }

  static Reply.KvOutcome outcome(Reply r) {
    assertThat(r).as("reply").isInstanceOf(Reply.Kv.class);
    return ((Reply.Kv) r).outcome();
  }

  /** Runs until every node reports the same view, shard map and caught-up state. */
  static void settle(SimCluster cluster) {
    boolean settled = cluster.runUntil(() -> agreed(cluster), 60_000);
    assertThat(settled).as("seed %d: cluster settles", cluster.seed()).isTrue();
  }

  static boolean agreed(SimCluster cluster) {
    var live = cluster.liveAddresses();
    var first = cluster.node(live.get(0));
    for (String a : live) {
      var n = cluster.node(a);
      if (!n.view().equals(first.view()) || !n.shardMap().equals(first.shardMap())
          || (n.shardId().isPresent() && !n.caughtUp())) {
        return false;
      }
    }
    return first.view().equals(live);
  }

  static long keyCount(SimCluster cluster, String at, int shard) {
    Reply r = cluster.call(at, new Request.KeyCount(shard));
    assertThat(r).isInstanceOf(Reply.KeyCount.class);
    return ((Reply.KeyCount) r).count();
  }
}
