package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link Membership} on its own: failure detection by silence (direct and reported by others),
 * the goodbye, and the gossip it answers with, driven through a {@link FakeContext}.
 */
class MembershipUnitTest {
  private static final String SELF = "10.0.0.1:8090";
  private static final String PEER = "10.0.0.2:8090";
  private static final String THIRD = "10.0.0.3:8090";
  private static final List<String> VIEW = List.of(SELF, PEER, THIRD);
  private static final NodeSettings SETTINGS = NodeSettings.defaults();

  private final FakeContext fake = new FakeContext(SELF, SETTINGS);
  private final List<ClusterState> changes = new ArrayList<>();
  private final Membership membership = new Membership(fake.node,
      ClusterState.initial(VIEW, null, SELF, fake.node.incarnation), (before, after) -> changes.add(after));

  /** The state a peer started as run {@code incarnation} gossips: its own record names that run. */
  private static ClusterState stateOf(String peer, String incarnation) {
    return ClusterState.initial(VIEW, null, peer, incarnation);
  }

  /** A heartbeat from {@code from}, run {@code incarnation}, reporting {@code heardAgoMs}. */
  private void heartbeat(String from, String incarnation, Map<String, Long> heardAgoMs) {
    membership.onGossip(from, new Msg.Gossip(incarnation, stateOf(from, incarnation), heardAgoMs, false));
  }

  @Test
  void aPeerSilentForSuspectAfterMsIsSuspectedAndHeardAgainIsNot() {
    membership.start(VIEW);
    fake.advance(SETTINGS.suspectAfterMs() - 1);
    assertThat(membership.suspected(PEER)).isFalse();
    fake.advance(2);
    assertThat(membership.suspected(PEER)).isTrue();
    heartbeat(PEER, "run-a", Map.of());
    assertThat(membership.suspected(PEER)).isFalse();
    assertThat(membership.silentMs(PEER)).isZero();
  }

  @Test
  void aPeerSilentForRemoveAfterMsLeavesTheViewAndComesBackWhenHeard() {
    membership.start(VIEW);
    for (long t = 0; t < SETTINGS.removeAfterMs() + 2 * SETTINGS.heartbeatIntervalMs(); t += 500) {
      fake.advance(500);
      heartbeat(THIRD, "run-c", Map.of());
    }
    assertThat(membership.state().view()).containsExactly(SELF, THIRD);
    assertThat(changes).isNotEmpty();
    heartbeat(PEER, "run-b", Map.of());
    assertThat(membership.state().view()).containsExactly(SELF, PEER, THIRD);
  }

  @Test
  void aPeerOthersStillHearIsNotRemovedThoughThisNodeCannotHearIt() {
    membership.start(VIEW);
    for (long t = 0; t < 3 * SETTINGS.removeAfterMs(); t += 500) {
      fake.advance(500);
      heartbeat(THIRD, "run-c", Map.of(PEER, 100L)); // THIRD heard PEER 100 ms ago
    }
    assertThat(membership.suspected(PEER)).as("not heard directly: not waited for").isTrue();
    assertThat(membership.state().view()).as("but one broken link removes nobody").contains(PEER);
  }

  @Test
  void aGoodbyeMakesThePeerSuspectedAtOnceAndOnlyForTheRunThatSaidIt() {
    membership.start(VIEW);
    heartbeat(PEER, "run-b", Map.of());
    membership.onLeaving(PEER, new Msg.Leaving("an-earlier-run"));
    assertThat(membership.suspected(PEER)).as("a goodbye of another run counts for nothing").isFalse();
    membership.onLeaving(PEER, new Msg.Leaving("run-b"));
    assertThat(membership.suspected(PEER)).isTrue();
    heartbeat(PEER, "run-b", Map.of());
    assertThat(membership.suspected(PEER)).as("a late heartbeat of the departed run is no sign of life").isTrue();
    heartbeat(PEER, "run-b2", Map.of());
    assertThat(membership.suspected(PEER)).as("a new run is").isFalse();
  }

  @Test
  void gossipIsAnsweredWhenTheSenderLacksNewsOrAsksAndOtherwiseNot() {
    membership.start(VIEW);
    heartbeat(PEER, "run-b", Map.of());
    fake.takeSent();
    ClusterState same = membership.state();
    membership.onGossip(PEER, new Msg.Gossip("run-b", same, Map.of(), false));
    assertThat(fake.takeSent()).as("the sender knows all this node knows: no answer").isEmpty();
    membership.onGossip(PEER, new Msg.Gossip("run-b", same, Map.of(), true));
    assertThat(fake.takeSent()).extracting(FakeContext.Sent::to).containsExactly(PEER);
    heartbeat(PEER, "run-b", Map.of()); // its state lacks this node's own record
    assertThat(fake.takeSent()).extracting(FakeContext.Sent::to).containsExactly(PEER);
  }
}
