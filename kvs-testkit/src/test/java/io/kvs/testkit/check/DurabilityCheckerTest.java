package io.kvs.testkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DurabilityCheckerTest {
  private final DurabilityChecker checker = new DurabilityChecker();

  @Test
  void finalReadOfTheLatestWriteIsFine() {
    assertThat(checker.check(new Histories().put(0, "x", "a").put(0, "x", "b").get(9, "x", "b").ops())).isEmpty();
  }

  @Test
  void finalReadOfAnOverwrittenValueMeansALostWrite() {
    var v = checker.check(new Histories().put(0, "x", "a").put(0, "x", "b").get(9, "x", "a").ops());
    assertThat(v).singleElement().satisfies(x -> assertThat(x.message()).contains("is lost"));
  }

  @Test
  void finalMissWithoutADeleteMeansALostWrite() {
    assertThat(checker.check(new Histories().put(0, "x", "a").get(9, "x", null).ops())).hasSize(1);
    assertThat(checker.check(new Histories().put(0, "x", "a").delete(0, "x").get(9, "x", null).ops())).isEmpty();
  }

  @Test
  void aConcurrentWriteMayWin() {
    assertThat(checker.check(new Histories().put(0, "x", "a").put(1, "x", "b").get(9, "x", "a").ops())).isEmpty();
  }

  @Test
  void everyWrittenKeyNeedsAFinalRead() {
    assertThat(checker.check(new Histories().put(0, "x", "a").ops())).hasSize(1);
  }
}
