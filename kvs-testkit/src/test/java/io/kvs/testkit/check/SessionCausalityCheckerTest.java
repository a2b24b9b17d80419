package io.kvs.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SessionCausalityCheckerTest {
  private final SessionCausalityChecker checker = new SessionCausalityChecker();

  @Test
  void readYourWritesHolds() {
    assertThat(checker.check(new Histories().put(0, "x", "a").put(0, "x", "b").get(0, "x", "b").ops())).isEmpty();
  }

  @Test
  void readingYourOwnOverwrittenValueIsStale() {
    var v = checker.check(new Histories().put(0, "x", "a").put(0, "x", "b").get(0, "x", "a").ops());
    assertThat(v).hasSize(1);
    assertThat(v.get(0).message()).contains("stale read");
  }

  @Test
  void missingAfterYourOwnPutIsStale() {
    assertThat(checker.check(new Histories().put(0, "x", "a").get(0, "x", null).ops())).hasSize(1);
  }

  @Test
  void missingAfterYourOwnDeleteIsFine() {
    assertThat(checker.check(new Histories().put(0, "x", "a").delete(0, "x").get(0, "x", null).ops())).isEmpty();
  }

  @Test
  void monotonicReadsAcrossSessions() {
    var h = new Histories().put(0, "x", "a").put(0, "x", "b").get(1, "x", "b").get(1, "x", "a");
    assertThat(checker.check(h.ops())).hasSize(1);
  }

  @Test
  void transitiveVisibilityAcrossKeysAndSessions() {
    // s0 writes x=b after x=a, then y; s1 reads y, so x=a is stale for s1.
    var h = new Histories().put(0, "x", "a").put(0, "x", "b").put(0, "y", "c").get(1, "y", "c").get(1, "x", "a");
    assertThat(checker.check(h.ops())).hasSize(1);
    var fine = new Histories().put(0, "x", "a").put(0, "x", "b").put(0, "y", "c").get(1, "y", "c").get(1, "x", "b");
    assertThat(checker.check(fine.ops())).isEmpty();
  }

  @Test
  void concurrentWritesMayBeReadInEitherOrder() {
    var h = new Histories().put(0, "x", "a").put(1, "x", "b").get(2, "x", "a").get(3, "x", "b");
    assertThat(checker.check(h.ops())).isEmpty();
  }

  @Test
  void aWriteOfUnknownOutcomeIsNotInThePastUntilRead() {
    var h = new Histories().put(0, "x", "a").putUnknown(0, "x", "b").get(0, "x", "a");
    assertThat(checker.check(h.ops())).isEmpty();
    var read = new Histories().put(0, "x", "a").putUnknown(0, "x", "b").get(1, "x", "b").get(1, "x", "a");
    assertThat(checker.check(read.ops())).hasSize(1);
  }

  @Test
  void aValueNobodyWroteIsReported() {
    assertThat(checker.check(new Histories().put(0, "x", "a").get(1, "x", "zzz").ops()))
        .singleElement().satisfies(v -> assertThat(v.message()).contains("no write produced"));
  }
}
