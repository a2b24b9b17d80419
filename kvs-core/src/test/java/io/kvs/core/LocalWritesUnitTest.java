package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link LocalWrites} on its own, as the coordinator of writes in a one-shard cluster of three:
 * when a write is acknowledged, what it re-sends, and when its key may be read.
 */
class LocalWritesUnitTest {
  private static final String SELF = "10.0.0.1:8090";
  private static final String B = "10.0.0.2:8090";
  private static final String C = "10.0.0.3:8090";
  private static final List<String> VIEW = List.of(SELF, B, C);
  private static final NodeSettings SETTINGS = NodeSettings.defaults();
  private static final Request PUT = new Request.Put("k", "1".getBytes(StandardCharsets.UTF_8), CausalContext.none());

  private final FakeContext fake = new FakeContext(SELF, SETTINGS);
  private final Membership membership = new Membership(fake.node,
      ClusterState.initial(VIEW, null, SELF, fake.node.incarnation), (before, after) -> { });
  private final Replica replica = new Replica(Storage.inMemory(), fake::nowMs, SELF, fake.node.incarnation);
  private final LocalWrites writes = new LocalWrites(fake.node, replica, membership, () -> { });
  private final List<Reply> replies = new ArrayList<>();

  LocalWritesUnitTest() {
    replica.reset(0, 0);
    replica.markCaughtUp();
    membership.start(VIEW);
    fake.takeSent();
  }

  /** The write's copies sent so far, by the peer they went to. */
  private List<String> copiesSentTo() {
    return fake.takeSent().stream().filter(s -> s.msg() instanceof Msg.Replicate).map(FakeContext.Sent::to).toList();
  }

  private long writeId() {
    writes.execute(PUT, replies::add);
    List<FakeContext.Sent> sent = fake.takeSent();
    assertThat(sent).extracting(FakeContext.Sent::to).containsExactlyInAnyOrder(B, C);
    return ((Msg.Replicate) sent.get(0).msg()).id();
  }

  @Test
  void aWriteIsAcknowledgedOnceEveryPeerHoldsIt() {
    long id = writeId();
    writes.onAck(B, new Msg.ReplicateAck(id));
    assertThat(replies).as("C has not answered and is not suspected").isEmpty();
    writes.onAck(B, new Msg.ReplicateAck(id));
    writes.onAck(C, new Msg.ReplicateAck(id));
    assertThat(replies).hasSize(1).first().isInstanceOf(Reply.Kv.class);
  }

  @Test
  void aPeerThatDoesNotAnswerGetsTheCopyAgainUntilTheTimeoutAcknowledgesWithoutIt() {
    long id = writeId();
    writes.onAck(B, new Msg.ReplicateAck(id));
    fake.advance(SETTINGS.replicationTimeoutMs() / 4);
    assertThat(copiesSentTo()).containsExactly(C);
    fake.advance(SETTINGS.replicationTimeoutMs());
    assertThat(replies).hasSize(1).first().isInstanceOf(Reply.Kv.class);
  }

  @Test
  void itsKeyIsNotReadUntilAPeerHoldsTheWrite() {
    long id = writeId();
    Request get = new Request.Get("k", CausalContext.none());
    assertThat(writes.readable(get)).as("one crash of this node would take it back").isFalse();
    assertThat(writes.readable(new Request.Get("other", CausalContext.none()))).isTrue();
    writes.onAck(C, new Msg.ReplicateAck(id));
    assertThat(writes.readable(get)).isTrue();
  }

  @Test
  void aWriteWaitingOnlyForAPeerThatSaidGoodbyeIsAnsweredAtOnce() {
    membership.onGossip(C, new Msg.Gossip("run-c", ClusterState.initial(VIEW, null, C, "run-c"), Map.of(), false));
    fake.takeSent(); // the gossip it answered with
    long id = writeId();
    writes.onAck(B, new Msg.ReplicateAck(id));
    membership.onLeaving(C, new Msg.Leaving("run-c"));
    writes.peerLeft();
    assertThat(replies).hasSize(1).first().isInstanceOf(Reply.Kv.class);
  }

  @Test
  void aPeersCopyIsStoredAndAcknowledgedOnlyInThisShardAndEpoch() {
    Msg.Replicate copy = new Msg.Replicate(41, 0, 0, new Msg.Item("x",
        new StoredValue("2".getBytes(StandardCharsets.UTF_8), 1, B + "/w.1", 1)), B + "/w.1", 1, CausalContext.none());
    assertThat(writes.onReplicate(B, copy)).isTrue();
    assertThat(replica.get("x")).isNotNull();
    assertThat(fake.takeSent()).extracting(s -> s.msg().getClass().getSimpleName()).containsExactly("ReplicateAck");
    Msg.Replicate stale = new Msg.Replicate(42, 5, 0, copy.item(), copy.writer(), 2, CausalContext.none());
    assertThat(writes.onReplicate(B, stale)).isFalse();
  }
}
