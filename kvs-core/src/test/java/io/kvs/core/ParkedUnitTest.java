package io.kvs.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** {@link Parked}: a request waits a bounded time, and goes on exactly once when it can. */
class ParkedUnitTest {
  private final FakeContext fake = new FakeContext("10.0.0.1:8090", NodeSettings.defaults());
  private final Parked parked = new Parked(fake.node);
  private final List<Reply> replies = new ArrayList<>();
  private final List<Request> dispatched = new ArrayList<>();
  private final Parked.Dispatcher dispatcher = (request, reply) -> {
    dispatched.add(request);
    reply.accept(new Reply.Ok(Reply.Done.VIEW_ADDED));
  };

  private static Request get(String key) {
    return new Request.Get(key, CausalContext.none());
  }

  @Test
  void aRequestNotReadyInTimeIsAnsweredWithTheTimeoutError() {
    parked.park(get("a"), replies::add, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    fake.advance(49);
    parked.retry(r -> false, dispatcher);
    assertThat(replies).isEmpty();
    fake.advance(1);
    assertThat(replies).containsExactly(new Reply.Failed(KvsError.DEPENDENCIES_UNSATISFIED));
  }

  @Test
  void aReadyRequestIsDispatchedOnceAndItsTimeoutNeverFires() {
    parked.park(get("a"), replies::add, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    parked.park(get("b"), replies::add, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    parked.retry(r -> ((Request.Get) r).key().equals("a"), dispatcher);
    parked.retry(r -> ((Request.Get) r).key().equals("a"), dispatcher);
    fake.advance(100);
    assertThat(dispatched).containsExactly(get("a"));
    assertThat(replies).containsExactly(new Reply.Ok(Reply.Done.VIEW_ADDED),
        new Reply.Failed(KvsError.DEPENDENCIES_UNSATISFIED));
  }

  @Test
  void aRequestDispatchedAgainMayParkAgainDuringTheRetry() {
    Consumer<Reply> reply = replies::add;
    parked.park(get("a"), reply, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    parked.retry(r -> true, (request, r) -> parked.park(request, r, 50, KvsError.DEPENDENCIES_UNSATISFIED));
    fake.advance(60);
    assertThat(replies).as("parked again with a fresh timeout, answered once").hasSize(1);
  }

  @Test
  void stoppingAnswersEveryWaitingRequestOnce() {
    parked.park(get("a"), replies::add, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    parked.park(get("b"), replies::add, 50, KvsError.DEPENDENCIES_UNSATISFIED);
    parked.answerAll(new Reply.Failed(KvsError.NODE_STOPPED));
    fake.advance(100);
    assertThat(replies).containsExactly(new Reply.Failed(KvsError.NODE_STOPPED), new Reply.Failed(KvsError.NODE_STOPPED));
  }
}
