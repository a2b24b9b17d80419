package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Forwarder} on its own, in a cluster of four nodes in two shards: this node (shard 0)
 * relays to shard 1's members, and answers what others relay to it.
 */
class ForwarderUnitTest {
  private static final String SELF = "10.0.0.1:8090";
  private static final List<String> VIEW = List.of(SELF, "10.0.0.2:8090", "10.0.0.3:8090", "10.0.0.4:8090");
  private static final NodeSettings SETTINGS = NodeSettings.defaults();
  private static final Request GET = new Request.Get("k", CausalContext.none());
  private static final Request PUT = new Request.Put("k", "1".getBytes(StandardCharsets.UTF_8), CausalContext.none());
  private static final Reply ANSWER = new Reply.KeyCount(7);

  private final FakeContext fake = new FakeContext(SELF, SETTINGS);
  private final Membership membership = new Membership(fake.node,
      ClusterState.initial(VIEW, 2, SELF, fake.node.incarnation), (before, after) -> { });
  private final Forwarder forwarder = new Forwarder(fake.node, membership);
  private final List<Reply> replies = new ArrayList<>();
  private final List<String> shard1 = membership.state().shardMap().members(1);

  /** The forwards sent so far: their targets. */
  private List<FakeContext.Sent> forwards() {
    return fake.takeSent().stream().filter(s -> s.msg() instanceof Msg.Forward).toList();
  }

  @Test
  void aReadThatOneMemberDoesNotAnswerGoesToTheNextOne() {
    forwarder.forward(1, GET, replies::add);
    List<FakeContext.Sent> first = forwards();
    assertThat(first).hasSize(1);
    fake.advance(SETTINGS.forwardTimeoutMs() / 2);
    List<FakeContext.Sent> second = forwards();
    assertThat(second).hasSize(1);
    assertThat(List.of(first.get(0).to(), second.get(0).to())).containsExactlyInAnyOrderElementsOf(shard1);
    long id = ((Msg.Forward) second.get(0).msg()).id();
    forwarder.onReply(new Msg.ForwardReply(id, false, ANSWER));
    forwarder.onReply(new Msg.ForwardReply(id, false, ANSWER)); // a duplicate answer
    assertThat(replies).containsExactly(ANSWER);
  }

  @Test
  void aWriteGoesToOneMemberOnlyAndTimesOutWithA503() {
    forwarder.forward(1, PUT, replies::add);
    assertThat(forwards()).hasSize(1);
    fake.advance(SETTINGS.forwardTimeoutMs());
    assertThat(forwards()).as("a second member could give the write a second version").isEmpty();
    assertThat(replies).containsExactly(new Reply.Failed(KvsError.SHARD_UNAVAILABLE));
  }

  @Test
  void aWriteRefusedUnexecutedMovesOnToTheNextMember() {
    forwarder.forward(1, PUT, replies::add);
    FakeContext.Sent first = forwards().get(0);
    forwarder.onReply(new Msg.ForwardReply(((Msg.Forward) first.msg()).id(), true, null));
    List<FakeContext.Sent> next = forwards();
    assertThat(next).extracting(FakeContext.Sent::to).containsExactly(
        shard1.stream().filter(m -> !m.equals(first.to())).findFirst().orElseThrow());
    assertThat(replies).isEmpty();
  }

  @Test
  void aRelayedRequestIsExecutedOnceHoweverOftenItArrives() {
    int[] executed = {0};
    Forwarder.Server serve = (request, onReply) -> {
      executed[0]++;
      onReply.accept(ANSWER);
      return true;
    };
    Msg.Forward m = new Msg.Forward(5, PUT, fake.node.incarnation);
    forwarder.onForward("10.0.0.3:8090", m, serve);
    forwarder.onForward("10.0.0.3:8090", m, serve);
    assertThat(executed[0]).isEqualTo(1);
    assertThat(fake.takeSent()).extracting(s -> ((Msg.ForwardReply) s.msg()).reply()).containsExactly(ANSWER, ANSWER);
  }

  @Test
  void aRefusalStandsForEveryCopySoALateCopyIsNotExecuted() {
    boolean[] ready = {false};
    int[] executed = {0};
    Forwarder.Server serve = (request, onReply) -> {
      if (!ready[0]) {
        return false;
      }
      executed[0]++;
      onReply.accept(ANSWER);
      return true;
    };
    Msg.Forward m = new Msg.Forward(6, PUT, "");
    forwarder.onForward("10.0.0.3:8090", m, serve);
    ready[0] = true; // caught up meanwhile (seed 10594)
    forwarder.onForward("10.0.0.3:8090", m, serve);
    assertThat(executed[0]).isZero();
    assertThat(fake.takeSent()).extracting(s -> ((Msg.ForwardReply) s.msg()).refused()).containsExactly(true, true);
  }

  @Test
  void aRequestMeantForAnEarlierRunOfThisNodeIsIgnored() {
    forwarder.onForward("10.0.0.3:8090", new Msg.Forward(7, PUT, "an-earlier-run"), (request, onReply) -> {
      throw new AssertionError("executed");
    });
    assertThat(fake.takeSent()).isEmpty();
  }
}
