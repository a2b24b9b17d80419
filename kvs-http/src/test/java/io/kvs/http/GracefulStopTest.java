package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kvs.core.NodeSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing a node answers the requests it is working on before the node stops. */
class GracefulStopTest {
  @Test
  void aWriteInFlightWhenTheNodeClosesIsStillAcknowledged() throws Exception {
    // the peer stalls (its node thread blocked) and is never suspected, so a write waits the
    // whole replication timeout for it: long enough that the write is surely still waiting when
    // close() begins, even on a busy machine. (A peer that closed would have said goodbye.)
    NodeSettings settings = NodeSettings.defaults().with("KVS_REPLICATION_TIMEOUT_MS", 5000)
        .with("KVS_REMOVE_AFTER_MS", 120_000).with("KVS_SUSPECT_AFTER_MS", 60_000);
    CountDownLatch stalled = new CountDownLatch(1);
    TestCluster cluster = new TestCluster(2, null, b -> b.settings(settings));
    try {
      // the node's work runs on whichever thread posts it when the node is idle: not this one
      NodeRuntime peer = (NodeRuntime) cluster.servers.get(1);
      new Thread(() -> peer.postOnNodeThread(() -> awaitQuietly(stalled)), "stalls-the-peer").start();
      CompletableFuture<Http.Response> put = CompletableFuture.supplyAsync(
          () -> Http.call("PUT", cluster.url(0, "/kvs/late"), "{\"value\": 1}"));
      // the coordinator stores the write at once, then waits for the peer: now it is in flight
      Http.await(Duration.ofSeconds(30), "node 0 holds the write",
          () -> Http.call("GET", cluster.url(0, "/shard/key-count/0"), null).json()
              .get("shard-key-count").intValue() == 1);
      assertThat(put).isNotDone();

      cluster.servers.get(0).close();

      Http.Response answer = put.get(30, TimeUnit.SECONDS);
      assertThat(answer.status()).as(answer.body()).isEqualTo(201);
      assertThat(answer.json().get("result").textValue()).isEqualTo("created");
    } finally {
      stalled.countDown(); // before closing, so that the stalled peer can stop
      cluster.close();
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
