package io.kvs.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The selector thread serves every peer link of a node, so no single failing step may stop it. */
class TransportSelectorTest {
  private TransportSelector selector;

  @AfterEach
  void close() {
    if (selector != null) {
      selector.close();
    }
  }

  @Test
  void aTaskThatThrowsDoesNotStopTheTasksAfterIt() throws InterruptedException {
    selector = new TransportSelector("test-selector", now -> { }, () -> { }, (from, frames) -> { });
    selector.start();
    CountDownLatch ranAfter = new CountDownLatch(1);

    selector.execute(() -> {
      throw new IllegalStateException("planted bug in a task");
    });
    selector.execute(ranAfter::countDown);

    assertThat(ranAfter.await(10, TimeUnit.SECONDS)).as("a task queued after the failing one ran").isTrue();
  }

  @Test
  void aTickThatThrowsOnceKeepsTheLinksTicking() throws InterruptedException {
    AtomicInteger ticks = new AtomicInteger();
    CountDownLatch threeTicks = new CountDownLatch(3);
    selector = new TransportSelector("test-selector", now -> {
      threeTicks.countDown();
      if (ticks.incrementAndGet() == 1) {
        throw new IllegalStateException("planted bug in the first tick");
      }
    }, () -> { }, (from, frames) -> { });
    selector.start();

    assertThat(threeTicks.await(10, TimeUnit.SECONDS)).as("ticks after the failing one").isTrue();
  }

  @Test
  void aFlushThatThrowsDoesNotStopLaterTasks() throws InterruptedException {
    AtomicInteger flushes = new AtomicInteger();
    selector = new TransportSelector("test-selector", now -> { }, () -> {
      if (flushes.incrementAndGet() == 1) {
        throw new IllegalStateException("planted bug in the first flush");
      }
    }, (from, frames) -> { });
    selector.start();
    long deadlineNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (flushes.get() == 0 && System.nanoTime() - deadlineNanos < 0) {
      Thread.onSpinWait();
    }
    CountDownLatch ranAfter = new CountDownLatch(1);

    selector.execute(ranAfter::countDown);

    assertThat(ranAfter.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
